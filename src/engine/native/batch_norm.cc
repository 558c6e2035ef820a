// Fused training-mode batch normalisation over NHWC (channels last): forward gives y, the batch
// mean and the biased batch variance; backward gives dx, dgamma, dbeta. Statistics are two-pass
// (mean first, then squared deviations) in double, which stays accurate for large means.
// Reductions run over fixed chunks of rows whose partial sums are added in chunk order, so results
// are bit-identical for any thread count.
#include "common.h"
#include <cmath>

namespace repro {
namespace {

// Per-channel sums of f(row, channel) over all rows, deterministic.
template <typename F>
void channelSums(int64_t rows, int64_t c, std::vector<double>& out, F f) {
  int64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
  std::vector<double> partial(static_cast<size_t>(chunks * c), 0.0);
#pragma omp parallel for schedule(dynamic, 1) if (rows * c > kParallelMin)
  for (int64_t ch = 0; ch < chunks; ++ch) {
    double* p = partial.data() + ch * c;
    int64_t end = std::min(rows, (ch + 1) * kChunkRows);
    for (int64_t r = ch * kChunkRows; r < end; ++r) {
      for (int64_t j = 0; j < c; ++j) p[j] += f(r, j);
    }
  }
  out.assign(static_cast<size_t>(c), 0.0);
  for (int64_t ch = 0; ch < chunks; ++ch) {
    for (int64_t j = 0; j < c; ++j) out[j] += partial[ch * c + j];
  }
}

// batchNormTrain(x, gamma, beta, y, mean, variance, channels, epsilon)
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  const float* gamma = f32(info[1], "gamma");
  const float* beta = f32(info[2], "beta");
  float* y = f32(info[3], "y");
  float* meanOut = f32(info[4], "mean");
  float* varOut = f32(info[5], "variance");
  int64_t c = num(info[6]);
  double eps = dbl(info[7]);
  int64_t rows = f32len(info[0]) / c;
  std::vector<double> sum, sq;
  channelSums(rows, c, sum, [&](int64_t r, int64_t j) { return static_cast<double>(x[r * c + j]); });
  std::vector<double> mean(c);
  for (int64_t j = 0; j < c; ++j) mean[j] = sum[j] / rows;
  channelSums(rows, c, sq, [&](int64_t r, int64_t j) {
    double d = x[r * c + j] - mean[j];
    return d * d;
  });
  std::vector<float> scale(c), shift(c);
  for (int64_t j = 0; j < c; ++j) {
    double var = sq[j] / rows;
    meanOut[j] = static_cast<float>(mean[j]);
    varOut[j] = static_cast<float>(var);
    double s = gamma[j] / std::sqrt(var + eps);
    scale[j] = static_cast<float>(s);
    shift[j] = static_cast<float>(beta[j] - mean[j] * s);
  }
#pragma omp parallel for schedule(dynamic, kElemChunk / c + 1) if (rows * c > kParallelMin)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * c;
    float* yr = y + r * c;
    for (int64_t j = 0; j < c; ++j) yr[j] = xr[j] * scale[j] + shift[j];
  }
  return info.Env().Undefined();
}

// batchNormTrainGrad(dy, x, gamma, mean, variance, dx, dgamma, dbeta, channels, epsilon)
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  const float* dy = f32(info[0], "dy");
  const float* x = f32(info[1], "x");
  const float* gamma = f32(info[2], "gamma");
  const float* mean = f32(info[3], "mean");
  const float* var = f32(info[4], "variance");
  float* dx = f32(info[5], "dx");
  float* dgammaOut = f32(info[6], "dgamma");
  float* dbetaOut = f32(info[7], "dbeta");
  int64_t c = num(info[8]);
  double eps = dbl(info[9]);
  int64_t rows = f32len(info[1]) / c;
  std::vector<double> rstd(c);
  for (int64_t j = 0; j < c; ++j) rstd[j] = 1.0 / std::sqrt(static_cast<double>(var[j]) + eps);
  std::vector<double> dbeta, dgamma;
  channelSums(rows, c, dbeta, [&](int64_t r, int64_t j) { return static_cast<double>(dy[r * c + j]); });
  channelSums(rows, c, dgamma, [&](int64_t r, int64_t j) {
    return static_cast<double>(dy[r * c + j]) * ((x[r * c + j] - mean[j]) * rstd[j]);
  });
  // dx = gamma*rstd/n * (n*dy - dbeta - xhat*dgamma) = a*dy + b*(x - mean) + k per channel; the
  // mean is subtracted explicitly rather than folded into k, which would cancel for large means.
  std::vector<float> a(c), b(c), k(c);
  for (int64_t j = 0; j < c; ++j) {
    dgammaOut[j] = static_cast<float>(dgamma[j]);
    dbetaOut[j] = static_cast<float>(dbeta[j]);
    double g = gamma[j] * rstd[j];
    a[j] = static_cast<float>(g);
    double bj = -g * rstd[j] * dgamma[j] / rows;
    b[j] = static_cast<float>(bj);
    k[j] = static_cast<float>(-g * dbeta[j] / rows);
  }
#pragma omp parallel for schedule(dynamic, kElemChunk / c + 1) if (rows * c > kParallelMin)
  for (int64_t r = 0; r < rows; ++r) {
    const float* dyr = dy + r * c;
    const float* xr = x + r * c;
    float* dxr = dx + r * c;
    for (int64_t j = 0; j < c; ++j) dxr[j] = a[j] * dyr[j] + b[j] * (xr[j] - mean[j]) + k[j];
  }
  return info.Env().Undefined();
}

}  // namespace

void initBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormTrain", Napi::Function::New(env, BatchNormTrain));
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, BatchNormTrainGrad));
}

}  // namespace repro
