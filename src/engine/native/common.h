// Shared helpers of the repro native addon: argument access, the oneDNN engine/stream, and
// the deterministic chunking every reduction uses.
#pragma once
#include <napi.h>
#include <dnnl.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace repro {

// Rows per reduction chunk. Fixed (not derived from the thread count) so that the order of
// floating-point additions, and therefore every result bit, is the same for any thread count.
constexpr int64_t kChunkRows = 256;

// Threads only pay off above this many elements. Loops use dynamic scheduling so that, on a
// machine shared with other processes, a thread that is descheduled does not stall the others
// at the barrier (static schedules were 5x slower under contention). Work split never changes a
// result: element-wise loops are independent and reductions sum fixed chunks in a fixed order.
constexpr int64_t kParallelMin = 1 << 16;
constexpr int64_t kElemChunk = 1 << 14;

// Runs the enclosed oneDNN calls on one thread (oneDNN reads omp_get_max_threads per call).
// For tiny primitives such as a 3x3 weight reorder, waking the thread team costs more than the
// work; on a shared machine it costs a scheduler quantum whenever a team thread is descheduled.
class SingleThreaded {
 public:
  SingleThreaded();
  ~SingleThreaded();
  SingleThreaded(const SingleThreaded&) = delete;
  SingleThreaded& operator=(const SingleThreaded&) = delete;

 private:
  int saved_;
};

// Below this many elements a weight reorder runs single-threaded.
constexpr int64_t kSmallReorder = 1 << 16;

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

inline float* f32(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(v.Env(), std::string(what) + ": expected a Float32Array");
  }
  return v.As<Napi::Float32Array>().Data();
}

// An optional Float32Array argument: nullptr when absent, null or undefined.
inline float* optionalF32(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || info[i].IsNull() || info[i].IsUndefined()) return nullptr;
  return f32(info[i], what);
}

inline int64_t f32len(const Napi::Value& v) { return static_cast<int64_t>(v.As<Napi::Float32Array>().ElementLength()); }

inline std::vector<int64_t> ints(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(v.Env(), std::string(what) + ": expected an Int32Array");
  }
  auto a = v.As<Napi::Int32Array>();
  return std::vector<int64_t>(a.Data(), a.Data() + a.ElementLength());
}

inline int64_t num(const Napi::Value& v) { return static_cast<int64_t>(v.As<Napi::Number>().DoubleValue()); }
inline double dbl(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }

inline std::string keyOf(const std::vector<int64_t>& p) {
  std::string k;
  for (auto x : p) { k += std::to_string(x); k += ','; }
  return k;
}

// Registration of each concept's functions on the exports object.
void initConv(Napi::Env env, Napi::Object exports);
void initMatMul(Napi::Env env, Napi::Object exports);
void initBatchNorm(Napi::Env env, Napi::Object exports);
void initElementwise(Napi::Env env, Napi::Object exports);
void initReduce(Napi::Env env, Napi::Object exports);
void initCopy(Napi::Env env, Napi::Object exports);
void initPool(Napi::Env env, Napi::Object exports);

}  // namespace repro
