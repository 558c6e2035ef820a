// Float32 element-wise kernels: binary ops with the broadcasts our models produce (same shape,
// scalar on either side, a per-channel vector over the last axis on either side) and the unary
// ops of training (relu, and step for relu's gradient; sigmoid; the seeded dropout mask). Other broadcasts stay in TypeScript.
#include "common.h"
#include <cmath>

namespace repro {
namespace {

// Broadcast modes, mirrored in src/engine/cpu_native/broadcast.ts.
// kMiddleB: b is [outer, inner] broadcast over the middle of out [outer, mid, inner] (e.g. a
// mean's gradient [N,1,1,C] against [N,H,W,C]); kMiddleA the same with a.
enum Mode { kSame = 0, kScalarB = 1, kScalarA = 2, kLastAxisB = 3, kLastAxisA = 4, kMiddleB = 5, kMiddleA = 6 };
enum Op { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3 };

template <int OP>
inline float apply(float a, float b) {
  if constexpr (OP == kAdd) return a + b;
  if constexpr (OP == kSub) return a - b;
  if constexpr (OP == kMul) return a * b;
  return a / b;
}

template <int OP>
void binary(const float* a, const float* b, float* out, int64_t n, int mode, int64_t inner, int64_t mid) {
  switch (mode) {
    case kSame:
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
      for (int64_t i = 0; i < n; ++i) out[i] = apply<OP>(a[i], b[i]);
      break;
    case kScalarB: {
      float s = b[0];
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
      for (int64_t i = 0; i < n; ++i) out[i] = apply<OP>(a[i], s);
      break;
    }
    case kScalarA: {
      float s = a[0];
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
      for (int64_t i = 0; i < n; ++i) out[i] = apply<OP>(s, b[i]);
      break;
    }
    case kLastAxisB:
#pragma omp parallel for schedule(dynamic, kElemChunk / inner + 1) if (n > kParallelMin)
      for (int64_t r = 0; r < n / inner; ++r)
        for (int64_t j = 0; j < inner; ++j) out[r * inner + j] = apply<OP>(a[r * inner + j], b[j]);
      break;
    case kLastAxisA:
#pragma omp parallel for schedule(dynamic, kElemChunk / inner + 1) if (n > kParallelMin)
      for (int64_t r = 0; r < n / inner; ++r)
        for (int64_t j = 0; j < inner; ++j) out[r * inner + j] = apply<OP>(a[j], b[r * inner + j]);
      break;
    case kMiddleB:
#pragma omp parallel for schedule(dynamic, kElemChunk / inner + 1) if (n > kParallelMin)
      for (int64_t r = 0; r < n / inner; ++r) {
        const float* br = b + (r / mid) * inner;
        for (int64_t j = 0; j < inner; ++j) out[r * inner + j] = apply<OP>(a[r * inner + j], br[j]);
      }
      break;
    case kMiddleA:
#pragma omp parallel for schedule(dynamic, kElemChunk / inner + 1) if (n > kParallelMin)
      for (int64_t r = 0; r < n / inner; ++r) {
        const float* ar = a + (r / mid) * inner;
        for (int64_t j = 0; j < inner; ++j) out[r * inner + j] = apply<OP>(ar[j], b[r * inner + j]);
      }
      break;
  }
}

// binary(op, a, b, out, mode, inner, mid)
Napi::Value Binary(const Napi::CallbackInfo& info) {
  int op = static_cast<int>(num(info[0]));
  const float* a = f32(info[1], "a");
  const float* b = f32(info[2], "b");
  float* out = f32(info[3], "out");
  int mode = static_cast<int>(num(info[4]));
  int64_t inner = num(info[5]);
  int64_t mid = info.Length() > 6 ? num(info[6]) : 1;
  int64_t n = f32len(info[3]);
  if (mode < kSame || mode > kMiddleA || inner < 1 || mid < 1) {
    throw Napi::RangeError::New(info.Env(), "binary: bad broadcast mode");
  }
  switch (op) {
    case kAdd: binary<kAdd>(a, b, out, n, mode, inner, mid); break;
    case kSub: binary<kSub>(a, b, out, n, mode, inner, mid); break;
    case kMul: binary<kMul>(a, b, out, n, mode, inner, mid); break;
    case kDiv: binary<kDiv>(a, b, out, n, mode, inner, mid); break;
    default: throw Napi::RangeError::New(info.Env(), "binary: unknown op");
  }
  return info.Env().Undefined();
}

// relu(x, y): NaN propagates, as in tfjs.
Napi::Value Relu(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  float* y = f32(info[1], "y");
  int64_t n = f32len(info[0]);
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = x[i] < 0.f ? 0.f : x[i];
  return info.Env().Undefined();
}

// step(x, y, alpha): 1 where x > 0, NaN where x is NaN, alpha elsewhere (tfjs's Step).
Napi::Value Step(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  float* y = f32(info[1], "y");
  float alpha = static_cast<float>(dbl(info[2]));
  int64_t n = f32len(info[0]);
#pragma omp parallel for schedule(dynamic, kElemChunk) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = std::isnan(x[i]) ? x[i] : (x[i] > 0.f ? 1.f : alpha);
  return info.Env().Undefined();
}

// sigmoid(x, y): 1 / (1 + e^-x).
Napi::Value Sigmoid(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  float* y = f32(info[1], "y");
  int64_t n = f32len(info[0]);
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) y[i] = 1.f / (1.f + std::exp(-x[i]));
  return info.Env().Undefined();
}

// The dropout mask's hash, mirrored bit for bit in src/engine/ops/dropout.ts: element i of a
// mask with seed s is kept when the top 24 bits of fmix32(i·0x9E3779B9 ⊕ fmix32(s)) reach the
// threshold. Counter-based (no generator state), so any thread split draws the same mask and
// the backward pass regenerates it instead of storing it.
inline uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

// dropout(x, y, seed, threshold, scale): y = x · (kept ? scale : 0), threshold = ceil(rate·2^24).
Napi::Value Dropout(const Napi::CallbackInfo& info) {
  const float* x = f32(info[0], "x");
  float* y = f32(info[1], "y");
  uint32_t seed = static_cast<uint32_t>(num(info[2]));
  uint32_t threshold = static_cast<uint32_t>(num(info[3]));
  float scale = static_cast<float>(dbl(info[4]));
  int64_t n = f32len(info[0]);
  if (n > (int64_t{1} << 32)) throw Napi::RangeError::New(info.Env(), "dropout: more than 2^32 elements");
  uint32_t mixed = fmix32(seed);
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) {
    uint32_t h = fmix32((static_cast<uint32_t>(i) * 0x9E3779B9u) ^ mixed);
    y[i] = x[i] * ((h >> 8) >= threshold ? scale : 0.f);
  }
  return info.Env().Undefined();
}

// sgdMomentum(p, g, buf, pOut, bufOut, lr, momentum, weightDecay): torch.optim.SGD's step,
// every product and sum rounded to float in the order of src/engine/ops/sgd_momentum.ts
// Contracting a product and a sum into one FMA would round once instead of twice: not here.
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
Napi::Value SgdMomentum(const Napi::CallbackInfo& info) {
  const float* p = f32(info[0], "param");
  const float* g = f32(info[1], "grad");
  const float* buf = f32(info[2], "buf");
  float* pOut = f32(info[3], "paramOut");
  float* bufOut = f32(info[4], "bufOut");
  const float lr = static_cast<float>(dbl(info[5]));
  const float momentum = static_cast<float>(dbl(info[6]));
  const float wd = static_cast<float>(dbl(info[7]));
  const int64_t n = f32len(info[0]);
  if (f32len(info[1]) != n || f32len(info[2]) != n || f32len(info[3]) != n || f32len(info[4]) != n) {
    throw Napi::RangeError::New(info.Env(), "sgdMomentum: param, grad, buf and outputs must have one length");
  }
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) {
    float gi = wd != 0.f ? g[i] + p[i] * wd : g[i];
    float b = buf[i] * momentum + gi;
    bufOut[i] = b;
    pOut[i] = p[i] - b * lr;
  }
  return info.Env().Undefined();
}
#pragma GCC pop_options

// reluGrad(dy, y, dx) (y = relu(x), whose sign is x's) and sigmoidGrad(dy, y, dx): tfjs's gradient formulas in one pass, each
// product rounded as tfjs rounds it (no FMA), so the bits equal tfjs's separate ops.
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
Napi::Value ReluGrad(const Napi::CallbackInfo& info) {
  const float* dy = f32(info[0], "dy");
  const float* y = f32(info[1], "y");
  float* dx = f32(info[2], "dx");
  int64_t n = f32len(info[2]);
#pragma omp parallel for schedule(dynamic, kElemChunk) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) dx[i] = dy[i] * (std::isnan(y[i]) ? y[i] : (y[i] > 0.f ? 1.f : 0.f));
  return info.Env().Undefined();
}

Napi::Value SigmoidGrad(const Napi::CallbackInfo& info) {
  const float* dy = f32(info[0], "dy");
  const float* y = f32(info[1], "y");
  float* dx = f32(info[2], "dx");
  int64_t n = f32len(info[2]);
#pragma omp parallel for simd schedule(dynamic, kElemChunk) if (n > kParallelMin)
  for (int64_t i = 0; i < n; ++i) {
    float u = y[i] * (1.f - y[i]);
    dx[i] = dy[i] * u;
  }
  return info.Env().Undefined();
}
#pragma GCC pop_options

}  // namespace

void initElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary));
  exports.Set("relu", Napi::Function::New(env, Relu));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("sigmoid", Napi::Function::New(env, Sigmoid));
  exports.Set("reluGrad", Napi::Function::New(env, ReluGrad));
  exports.Set("sigmoidGrad", Napi::Function::New(env, SigmoidGrad));
  exports.Set("dropout", Napi::Function::New(env, Dropout));
  exports.Set("sgdMomentum", Napi::Function::New(env, SgdMomentum));
}

}  // namespace repro
