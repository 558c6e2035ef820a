// Copies a box-shaped region between two row-major float32 tensors of the same rank: Slice
// (region of the source to a whole destination) and constant PadV2 (whole source into a region
// of a pre-filled destination). The innermost contiguous run is one memcpy.
#include "common.h"
#include <cstring>

namespace repro {
namespace {

struct Box {
  std::vector<int64_t> srcShape, srcBegin, dstShape, dstBegin, size;
};

void copyDims(const float* src, float* dst, const Box& b, size_t d, int64_t srcOff, int64_t dstOff,
              const std::vector<int64_t>& srcStride, const std::vector<int64_t>& dstStride) {
  if (d + 1 == b.size.size()) {
    std::memcpy(dst + dstOff + b.dstBegin[d], src + srcOff + b.srcBegin[d], sizeof(float) * b.size[d]);
    return;
  }
  for (int64_t i = 0; i < b.size[d]; ++i) {
    copyDims(src, dst, b, d + 1, srcOff + (b.srcBegin[d] + i) * srcStride[d], dstOff + (b.dstBegin[d] + i) * dstStride[d],
             srcStride, dstStride);
  }
}

// copyRegion(src, srcShape, srcBegin, dst, dstShape, dstBegin, size)
Napi::Value CopyRegion(const Napi::CallbackInfo& info) {
  const float* src = f32(info[0], "src");
  Box b{ints(info[1], "srcShape"), ints(info[2], "srcBegin"), ints(info[4], "dstShape"), ints(info[5], "dstBegin"),
        ints(info[6], "size")};
  float* dst = f32(info[3], "dst");
  size_t rank = b.size.size();
  if (rank == 0 || b.srcShape.size() != rank || b.srcBegin.size() != rank || b.dstShape.size() != rank ||
      b.dstBegin.size() != rank) {
    throw Napi::RangeError::New(info.Env(), "copyRegion: all shapes must have the same non-zero rank");
  }
  for (size_t d = 0; d < rank; ++d) {
    if (b.size[d] == 0) return info.Env().Undefined();
    if (b.srcBegin[d] < 0 || b.srcBegin[d] + b.size[d] > b.srcShape[d] || b.dstBegin[d] < 0 ||
        b.dstBegin[d] + b.size[d] > b.dstShape[d]) {
      throw Napi::RangeError::New(info.Env(), "copyRegion: region out of bounds");
    }
  }
  std::vector<int64_t> ss(rank, 1), ds(rank, 1);
  for (size_t d = rank - 1; d > 0; --d) {
    ss[d - 1] = ss[d] * b.srcShape[d];
    ds[d - 1] = ds[d] * b.dstShape[d];
  }
  if (rank == 1) {
    copyDims(src, dst, b, 0, 0, 0, ss, ds);
    return info.Env().Undefined();
  }
#pragma omp parallel for schedule(dynamic, 1) if (b.size[0] > 1)
  for (int64_t i = 0; i < b.size[0]; ++i) {
    copyDims(src, dst, b, 1, (b.srcBegin[0] + i) * ss[0], (b.dstBegin[0] + i) * ds[0], ss, ds);
  }
  return info.Env().Undefined();
}

}  // namespace

void initCopy(Napi::Env env, Napi::Object exports) {
  exports.Set("copyRegion", Napi::Function::New(env, CopyRegion));
}

}  // namespace repro
