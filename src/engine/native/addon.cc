// Entry point of the native CPU engine: thread setting plus each kernel family's functions.
#include "common.h"
#include <omp.h>

namespace repro {

dnnl::engine& cpuEngine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

dnnl::stream& cpuStream() {
  static dnnl::stream s(cpuEngine());
  return s;
}

SingleThreaded::SingleThreaded() : saved_(omp_get_max_threads()) { omp_set_num_threads(1); }
SingleThreaded::~SingleThreaded() { omp_set_num_threads(saved_); }

static Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  int n = static_cast<int>(num(info[0]));
  if (n < 1) throw Napi::RangeError::New(info.Env(), "setThreads: need at least 1 thread");
  // oneDNN's OpenMP runtime reads omp_get_max_threads at each primitive execution.
  omp_set_num_threads(n);
  return info.Env().Undefined();
}

static Napi::Value GetThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), omp_get_max_threads());
}

static Napi::Value DnnlVersion(const Napi::CallbackInfo& info) {
  const dnnl_version_t* v = dnnl_version();
  return Napi::String::New(info.Env(), std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                                           std::to_string(v->patch));
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, SetThreads));
  exports.Set("getThreads", Napi::Function::New(env, GetThreads));
  exports.Set("dnnlVersion", Napi::Function::New(env, DnnlVersion));
  initConv(env, exports);
  initMatMul(env, exports);
  initBatchNorm(env, exports);
  initElementwise(env, exports);
  initReduce(env, exports);
  initCopy(env, exports);
  initPool(env, exports);
  return exports;
}

}  // namespace repro

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return repro::Init(env, exports); }

NODE_API_MODULE(repro_native, InitAddon)
