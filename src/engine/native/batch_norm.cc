// Fused training-mode batch normalisation over NHWC (channels last): forward gives y, the batch
// mean and the biased batch variance; backward gives dx, dgamma, dbeta. Two passes over memory
// each way (statistics, then the element-wise write). Accumulation is in double over fixed chunks
// of rows merged in chunk order, so results are bit-identical for any thread count.
#include "common.h"
#include "row_sums.h"
#include <cmath>

namespace repro {
namespace {

// ReluGrad's formula (elementwise.cc): dy · step(y). Its product is never contracted into an
// FMA here (it only feeds a conversion to double, a store, or another product), so the bits are
// ReluGrad's. (No optimize pragma: GCC would then refuse to inline it into the loops.)
inline float reluGradOf(float dy, float y) { return dy * (std::isnan(y) ? y : (y > 0.f ? 1.f : 0.f)); }

// Per-chunk sums of g and of g·xhat, the two reductions of the backward pass. g is dy, or, with
// z, dy masked by the fused relu's output: that mask is computed chunk by chunk into `masked`
// (the dx buffer, overwritten later) while the chunk is in cache, and the sums read it there.
void gradSums(const float* dy, const float* z, float* masked, const float* x, const float* mean,
              const std::vector<double>& rstd, int64_t rows, int64_t c, std::vector<double>& partial) {
  int64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
#pragma omp parallel if (rows * c > kParallelMin)
  {
    std::vector<double> scratch;
#pragma omp for schedule(dynamic, 1)
    for (int64_t ch = 0; ch < chunks; ++ch) {
      double* pb = partial.data() + ch * 2 * c;
      double* pg = pb + c;
      int64_t begin = ch * kChunkRows, end = std::min(rows, begin + kChunkRows);
      const float* g = dy;
      if (z) {
        for (int64_t i = begin * c; i < end * c; ++i) masked[i] = reluGradOf(dy[i], z[i]);
        g = masked;
      }
      rowSums(begin, end, c, scratch, pb, [&](int64_t r, int64_t j) { return static_cast<double>(g[r * c + j]); });
      rowSums(begin, end, c, scratch, pg, [&](int64_t r, int64_t j) {
        return static_cast<double>(g[r * c + j]) * ((x[r * c + j] - mean[j]) * rstd[j]);
      });
    }
  }
}

// Per-chunk statistics of one channel block: count, mean and the sum of squared deviations
// from that mean (M2). Computed in two sweeps over the chunk while it is in cache (row_sums.h), then merged
// across chunks in chunk order with Chan et al.'s pairwise update: one pass over memory,
// numerically stable (no E[x^2]-E[x]^2 cancellation) and independent of the thread count.
void channelMoments(const float* x, int64_t rows, int64_t c, std::vector<double>& mean, std::vector<double>& m2) {
  int64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
  std::vector<double> cm(static_cast<size_t>(chunks * c), 0.0), cm2(static_cast<size_t>(chunks * c), 0.0);
#pragma omp parallel if (rows * c > kParallelMin)
  {
    std::vector<double> scratch;
#pragma omp for schedule(dynamic, 1)
    for (int64_t ch = 0; ch < chunks; ++ch) {
      double* mu = cm.data() + ch * c;
      double* q = cm2.data() + ch * c;
      int64_t begin = ch * kChunkRows, end = std::min(rows, begin + kChunkRows);
      rowSums(begin, end, c, scratch, mu, [&](int64_t r, int64_t j) { return static_cast<double>(x[r * c + j]); });
      for (int64_t j = 0; j < c; ++j) mu[j] /= static_cast<double>(end - begin);
      rowSums(begin, end, c, scratch, q, [&](int64_t r, int64_t j) {
        double d = x[r * c + j] - mu[j];
        return d * d;
      });
    }
  }
  mean.assign(static_cast<size_t>(c), 0.0);
  m2.assign(static_cast<size_t>(c), 0.0);
  double n = 0;
  for (int64_t ch = 0; ch < chunks; ++ch) {
    double nb = static_cast<double>(std::min(rows, (ch + 1) * kChunkRows) - ch * kChunkRows);
    double total = n + nb;
    for (int64_t j = 0; j < c; ++j) {
      double delta = cm[ch * c + j] - mean[j];
      mean[j] += delta * nb / total;
      m2[j] += cm2[ch * c + j] + delta * delta * n * nb / total;
    }
    n = total;
  }
}

// batchNormTrain(x, gamma, beta, y, mean, variance, channels, epsilon[, residual | null, relu])
// With a residual and/or relu, y = relu(bn(x) + residual): the block's add and ReLU in the same
// pass, each step rounded as the separate Add and Relu kernels round it (same bits).
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  const float* gamma = f32(info[1], "gamma");
  const float* beta = f32(info[2], "beta");
  float* y = f32(info[3], "y");
  float* meanOut = f32(info[4], "mean");
  float* varOut = f32(info[5], "variance");
  int64_t c = num(info[6]);
  double eps = dbl(info[7]);
  const float* residual = optionalF32(info, 8, "residual");
  bool relu = info.Length() > 9 && info[9].ToBoolean();
  int64_t rows = f32len(info[0]) / c;
  if (c < 1 || rows < 1 || rows * c != f32len(info[0])) {
    throw Napi::RangeError::New(info.Env(), "batchNormTrain: x must be a non-empty [rows, channels] array");
  }
  if (residual && f32len(info[8]) != rows * c) throw Napi::RangeError::New(info.Env(), "batchNormTrain: residual must have x's size");
  std::vector<double> mean, m2;
  channelMoments(x, rows, c, mean, m2);
  std::vector<float> scale(c), shift(c);
  for (int64_t j = 0; j < c; ++j) {
    double var = m2[j] / rows;
    meanOut[j] = static_cast<float>(mean[j]);
    varOut[j] = static_cast<float>(var);
    double s = gamma[j] / std::sqrt(var + eps);
    scale[j] = static_cast<float>(s);
    shift[j] = static_cast<float>(beta[j] - mean[j] * s);
  }
  // y = (x - mean) * s + beta, written as x * s + shift: one multiply-add per element.
#pragma omp parallel for schedule(dynamic, kElemChunk / c + 1) if (rows * c > kParallelMin)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * c;
    float* yr = y + r * c;
    if (!residual && !relu) {
      for (int64_t j = 0; j < c; ++j) yr[j] = xr[j] * scale[j] + shift[j];
      continue;
    }
    const float* rr = residual ? residual + r * c : nullptr;
    for (int64_t j = 0; j < c; ++j) {
      float v = xr[j] * scale[j] + shift[j];
      if (rr) v = v + rr[j];
      yr[j] = relu && v < 0.f ? 0.f : v;  // the Relu kernel's form: NaN and -0 pass through
    }
  }
  return info.Env().Undefined();
}

// batchNormTrainGrad(dy, x, gamma, mean, variance, dx, dgamma, dbeta, channels, epsilon[, z | null, dresidual | null])
// With z (the output of a fused relu), the incoming gradient is first masked exactly as the
// ReluGrad kernel does (dy · step(z), no FMA); dresidual receives that masked gradient (the
// residual's gradient through the add), written in the same pass as dx.
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
  const float* z = optionalF32(info, 10, "z");
  float* dres = optionalF32(info, 11, "dresidual");
  int64_t rows = f32len(info[1]) / c;
  if ((z && f32len(info[10]) != rows * c) || (dres && f32len(info[11]) != rows * c)) {
    throw Napi::RangeError::New(info.Env(), "batchNormTrainGrad: z and dresidual must have x's size");
  }
  std::vector<double> rstd(c);
  for (int64_t j = 0; j < c; ++j) rstd[j] = 1.0 / std::sqrt(static_cast<double>(var[j]) + eps);
  // dbeta = sum(g) and dgamma = sum(g * xhat), per fixed chunk (two sweeps while it is in cache), merged in
  // order; g is dy, or dy masked by the fused relu's output.
  int64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
  std::vector<double> partial(static_cast<size_t>(chunks * 2 * c), 0.0);
  gradSums(dy, z, dx, x, mean, rstd, rows, c, partial);
  std::vector<double> dbeta(c, 0.0), dgamma(c, 0.0);
  for (int64_t ch = 0; ch < chunks; ++ch)
    for (int64_t j = 0; j < c; ++j) {
      dbeta[j] += partial[ch * 2 * c + j];
      dgamma[j] += partial[ch * 2 * c + c + j];
    }
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
  // With z, dx already holds the masked gradient g: each element is read, then overwritten.
  const float* g = z ? dx : dy;
#pragma omp parallel for schedule(dynamic, kElemChunk / c + 1) if (rows * c > kParallelMin)
  for (int64_t r = 0; r < rows; ++r) {
    const float* xr = x + r * c;
    const float* gr = g + r * c;
    float* dxr = dx + r * c;
    if (dres) {
      float* dresr = dres + r * c;
      for (int64_t j = 0; j < c; ++j) dresr[j] = gr[j];
    }
    for (int64_t j = 0; j < c; ++j) dxr[j] = a[j] * gr[j] + b[j] * (xr[j] - mean[j]) + k[j];
  }
  return info.Env().Undefined();
}

}  // namespace

void initBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormTrain", Napi::Function::New(env, BatchNormTrain));
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, BatchNormTrainGrad));
}

}  // namespace repro
