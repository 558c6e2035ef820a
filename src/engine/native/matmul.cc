// Batched matrix multiply over oneDNN's sgemm (row-major, deterministic for a fixed thread
// count): BatchMatMul / MatMul / _FusedMatMul's product. Bias and activation are applied by the
// caller's kernel in TypeScript; they are O(M*N) and not worth a native path for our models.
#include "common.h"

namespace repro {
namespace {

// batchMatMul(a, b, c, [batchA, batchB, M, N, K], transposeA, transposeB)
// a is batchA x (M x K) (or K x M when transposed), b batchB x (K x N) (or N x K); batchA or
// batchB may be 1 (broadcast). c is max(batchA, batchB) x M x N.
Napi::Value BatchMatMul(const Napi::CallbackInfo& info) {
  float* a = f32(info[0], "a");
  float* b = f32(info[1], "b");
  float* c = f32(info[2], "c");
  auto d = ints(info[3], "dims");
  if (d.size() != 5) throw Napi::RangeError::New(info.Env(), "batchMatMul: dims must be [batchA,batchB,M,N,K]");
  bool ta = info[4].ToBoolean(), tb = info[5].ToBoolean();
  int64_t batchA = d[0], batchB = d[1], m = d[2], n = d[3], k = d[4];
  int64_t batch = std::max(batchA, batchB);
  for (int64_t i = 0; i < batch; ++i) {
    const float* ai = a + (batchA == 1 ? 0 : i) * m * k;
    const float* bi = b + (batchB == 1 ? 0 : i) * k * n;
    float* ci = c + i * m * n;
    dnnl_status_t st = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, 1.f, ai, ta ? m : k, bi, tb ? k : n, 0.f,
                                  ci, n);
    if (st != dnnl_success) throw Napi::Error::New(info.Env(), "batchMatMul: dnnl_sgemm failed");
  }
  return info.Env().Undefined();
}

}  // namespace

void initMatMul(Napi::Env env, Napi::Object exports) {
  exports.Set("batchMatMul", Napi::Function::New(env, BatchMatMul));
}

}  // namespace repro
