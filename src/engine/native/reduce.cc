// Float32 sums over the leading rows of a [rows, cols] view (what bias gradients and the
// per-channel reductions of NHWC tensors need) and over the trailing columns of a [rows, cols]
// view (tfjs's own reduction layout). Accumulation in double over fixed chunks, added in
// chunk order: bit-identical for any thread count.
#include "common.h"

namespace repro {
namespace {

// sumRows(x, out, rows, cols): out[j] = sum_r x[r, j]
Napi::Value SumRows(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  float* out = f32(info[1], "out");
  int64_t rows = num(info[2]), cols = num(info[3]);
  int64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
  std::vector<double> partial(static_cast<size_t>(std::max<int64_t>(chunks, 1) * cols), 0.0);
#pragma omp parallel for schedule(static)
  for (int64_t ch = 0; ch < chunks; ++ch) {
    double* p = partial.data() + ch * cols;
    int64_t end = std::min(rows, (ch + 1) * kChunkRows);
    for (int64_t r = ch * kChunkRows; r < end; ++r)
      for (int64_t j = 0; j < cols; ++j) p[j] += x[r * cols + j];
  }
  for (int64_t j = 0; j < cols; ++j) {
    double s = 0.0;
    for (int64_t ch = 0; ch < chunks; ++ch) s += partial[ch * cols + j];
    out[j] = static_cast<float>(s);
  }
  return info.Env().Undefined();
}

// sumCols(x, out, rows, cols): out[r] = sum_j x[r, j]
Napi::Value SumCols(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  float* out = f32(info[1], "out");
  int64_t rows = num(info[2]), cols = num(info[3]);
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    double s = 0.0;
    for (int64_t j = 0; j < cols; ++j) s += x[r * cols + j];
    out[r] = static_cast<float>(s);
  }
  return info.Env().Undefined();
}

}  // namespace

void initReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("sumRows", Napi::Function::New(env, SumRows));
  exports.Set("sumCols", Napi::Function::New(env, SumCols));
}

}  // namespace repro
