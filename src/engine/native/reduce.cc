// Float32 sums over the middle axis of an [outer, mid, inner] view, which covers every
// reduction over a contiguous block of axes: leading (bias gradients, per-channel sums of NHWC),
// middle (global average pooling over H and W) and trailing. Accumulation in double over fixed
// chunks of the reduced axis, added in chunk order: bit-identical for any thread count.
#include "common.h"

namespace repro {
namespace {

// sumAxes(x, out, outer, mid, inner, scale): out[o, i] = scale * sum_m x[o, m, i]
Napi::Value SumAxes(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  float* out = f32(info[1], "out");
  int64_t outer = num(info[2]), mid = num(info[3]), inner = num(info[4]);
  double scale = dbl(info[5]);
  if (outer * mid * inner != f32len(info[0]) || outer * inner != f32len(info[1])) {
    throw Napi::RangeError::New(info.Env(), "sumAxes: sizes do not match [outer, mid, inner]");
  }
  int64_t chunks = std::max<int64_t>(1, (mid + kChunkRows - 1) / kChunkRows);
  std::vector<double> partial(static_cast<size_t>(outer * chunks * inner), 0.0);
#pragma omp parallel for schedule(dynamic, 1) if (outer * mid * inner > kParallelMin)
  for (int64_t t = 0; t < outer * chunks; ++t) {
    int64_t o = t / chunks, ch = t % chunks;
    double* p = partial.data() + t * inner;
    const float* xo = x + o * mid * inner;
    int64_t end = std::min(mid, (ch + 1) * kChunkRows);
    for (int64_t m = ch * kChunkRows; m < end; ++m)
      for (int64_t i = 0; i < inner; ++i) p[i] += xo[m * inner + i];
  }
#pragma omp parallel for schedule(dynamic, 1) if (outer * inner > kParallelMin)
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      double s = 0.0;
      for (int64_t ch = 0; ch < chunks; ++ch) s += partial[(o * chunks + ch) * inner + i];
      out[o * inner + i] = static_cast<float>(s * scale);
    }
  }
  return info.Env().Undefined();
}

}  // namespace

void initReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("sumAxes", Napi::Function::New(env, SumAxes));
}

}  // namespace repro
