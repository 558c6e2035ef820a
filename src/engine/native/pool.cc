// 2-D max and average pooling (NHWC) over oneDNN, forward and backward. Average pooling
// excludes padding from the divisor, as tfjs does. Max-pool backward recomputes the forward
// pass with a workspace (tfjs hands the gradient x and y, not argmax indices).
#include "common.h"
#include <memory>
#include <unordered_map>

namespace repro {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

// [N,H,W,C, OH,OW, KH,KW, SH,SW, PT,PL,PB,PR]
struct PoolGeometry {
  int64_t n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr;
  PoolGeometry(const std::vector<int64_t>& p, Napi::Env env) {
    if (p.size() != 14) throw Napi::RangeError::New(env, "pool geometry: expected 14 integers");
    n = p[0]; h = p[1]; w = p[2]; c = p[3]; oh = p[4]; ow = p[5]; kh = p[6]; kw = p[7];
    sh = p[8]; sw = p[9]; pt = p[10]; pl = p[11]; pb = p[12]; pr = p[13];
  }
  memory::desc src() const { return {{n, c, h, w}, dt::f32, tag::nhwc}; }
  memory::desc dst() const { return {{n, c, oh, ow}, dt::f32, tag::nhwc}; }
  dnnl::pooling_forward::desc fwd(dnnl::prop_kind prop, dnnl::algorithm alg) const {
    return {prop, alg, src(), dst(), {sh, sw}, {kh, kw}, {pt, pl}, {pb, pr}};
  }
};

dnnl::algorithm algOf(bool isMax) {
  return isMax ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding;
}

struct Pool {
  dnnl::pooling_forward fwd;
  dnnl::pooling_backward bwd;
  memory src, dst, diffDst, diffSrc, workspace;
  bool hasBackward = false;
};
std::unordered_map<std::string, std::unique_ptr<Pool>> cache;

Pool& poolFor(const std::vector<int64_t>& p, bool isMax, bool backward, Napi::Env env) {
  std::vector<int64_t> k = p;
  k.push_back(isMax);
  k.push_back(backward);
  std::string key = keyOf(k);
  auto it = cache.find(key);
  if (it != cache.end()) return *it->second;
  PoolGeometry g(p, env);
  auto& eng = cpuEngine();
  auto pool = std::make_unique<Pool>();
  auto prop = backward ? dnnl::prop_kind::forward_training : dnnl::prop_kind::forward_inference;
  dnnl::pooling_forward::primitive_desc fpd(g.fwd(prop, algOf(isMax)), eng);
  pool->fwd = dnnl::pooling_forward(fpd);
  pool->src = memory(g.src(), eng, nullptr);
  pool->dst = memory(g.dst(), eng, nullptr);
  if (backward) {
    dnnl::pooling_backward::desc bd(algOf(isMax), g.src(), g.dst(), {g.sh, g.sw}, {g.kh, g.kw}, {g.pt, g.pl},
                                    {g.pb, g.pr});
    dnnl::pooling_backward::primitive_desc bpd(bd, eng, fpd);
    pool->bwd = dnnl::pooling_backward(bpd);
    pool->diffDst = memory(g.dst(), eng, nullptr);
    pool->diffSrc = memory(g.src(), eng, nullptr);
    if (isMax) pool->workspace = memory(fpd.workspace_desc(), eng);
    pool->hasBackward = true;
  }
  return *cache.emplace(key, std::move(pool)).first->second;
}

// poolForward(isMax, x, y, geometry)
Napi::Value PoolForward(const Napi::CallbackInfo& info) {
  bool isMax = info[0].ToBoolean();
  Pool& p = poolFor(ints(info[3], "geometry"), isMax, false, info.Env());
  auto& s = cpuStream();
  p.src.set_data_handle(f32(info[1], "x"));
  p.dst.set_data_handle(f32(info[2], "y"));
  p.fwd.execute(s, {{DNNL_ARG_SRC, p.src}, {DNNL_ARG_DST, p.dst}});
  s.wait();
  return info.Env().Undefined();
}

// poolBackward(isMax, dy, x, dx, scratchY, geometry): scratchY receives the recomputed forward
// output (max pooling only; pass the same-size array tfjs's y would occupy).
Napi::Value PoolBackward(const Napi::CallbackInfo& info) {
  bool isMax = info[0].ToBoolean();
  Pool& p = poolFor(ints(info[5], "geometry"), isMax, true, info.Env());
  auto& s = cpuStream();
  if (isMax) {
    p.src.set_data_handle(f32(info[2], "x"));
    p.dst.set_data_handle(f32(info[4], "scratchY"));
    p.fwd.execute(s, {{DNNL_ARG_SRC, p.src}, {DNNL_ARG_DST, p.dst}, {DNNL_ARG_WORKSPACE, p.workspace}});
  }
  p.diffDst.set_data_handle(f32(info[1], "dy"));
  p.diffSrc.set_data_handle(f32(info[3], "dx"));
  std::unordered_map<int, memory> args{{DNNL_ARG_DIFF_DST, p.diffDst}, {DNNL_ARG_DIFF_SRC, p.diffSrc}};
  if (isMax) args.insert({DNNL_ARG_WORKSPACE, p.workspace});
  p.bwd.execute(s, args);
  s.wait();
  return info.Env().Undefined();
}

}  // namespace

void initPool(Napi::Env env, Napi::Object exports) {
  exports.Set("poolForward", Napi::Function::New(env, PoolForward));
  exports.Set("poolBackward", Napi::Function::New(env, PoolBackward));
}

}  // namespace repro
