// 2-D convolutions over oneDNN: forward (optionally + bias + relu, for FusedConv2D), backward
// data and backward weights. Activations stay in tfjs's NHWC layout (oneDNN's jit kernels
// accept it directly); filters arrive as tfjs HWIO and are reordered into whatever layout the
// primitive wants on every call, because weights change every training step.
// Primitive creation is expensive, so each primitive is built once per shape and cached.
// (Plain HWIO weights, which would avoid the reorders, make oneDNN fall back to gemm: 2-3x slower.)
#include "common.h"
#include <memory>
#include <unordered_map>

namespace repro {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;


// Geometry shared by the three directions, unpacked from one Int32Array:
// [N,H,W,C, OH,OW,O, KH,KW, SH,SW, DH,DW, PT,PL,PB,PR] and optionally G (groups, default 1).
// Grouped filters arrive as [KH,KW,C/G,O] with output channel g·O/G + j in group g: that is
// oneDNN's hwigo, so a grouped convolution is one primitive, not G convolutions.
struct Geometry {
  int64_t n, h, w, c, oh, ow, o, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, g = 1;
  explicit Geometry(const std::vector<int64_t>& p, Napi::Env env) {
    if (p.size() != 17 && p.size() != 18) throw Napi::RangeError::New(env, "conv geometry: expected 17 or 18 integers");
    n = p[0]; h = p[1]; w = p[2]; c = p[3]; oh = p[4]; ow = p[5]; o = p[6]; kh = p[7]; kw = p[8];
    sh = p[9]; sw = p[10]; dh = p[11]; dw = p[12]; pt = p[13]; pl = p[14]; pb = p[15]; pr = p[16];
    if (p.size() == 18) g = p[17];
    if (g < 1 || c % g != 0 || o % g != 0) {
      throw Napi::RangeError::New(env, "conv geometry: channels in and out must be divisible by groups");
    }
  }
  memory::desc src(tag t = tag::nhwc) const { return {{n, c, h, w}, dt::f32, t}; }
  memory::desc dst(tag t = tag::nhwc) const { return {{n, o, oh, ow}, dt::f32, t}; }
  memory::desc wei(tag t) const {
    if (g == 1) return {{o, c, kh, kw}, dt::f32, t};
    return {{g, o / g, c / g, kh, kw}, dt::f32, t};
  }
  // The layout tfjs keeps filters in.
  memory::desc weiUser() const { return wei(g == 1 ? tag::hwio : tag::hwigo); }
  memory::dims strides() const { return {sh, sw}; }
  memory::dims dilates() const { return {dh - 1, dw - 1}; }  // oneDNN counts dilation from 0
  memory::dims padL() const { return {pt, pl}; }
  memory::dims padR() const { return {pb, pr}; }
  dnnl::convolution_forward::primitive_desc forwardHint() const {
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                      src(), wei(tag::any), dst(), strides(), dilates(), padL(), padR());
    return {d, cpuEngine()};
  }
};

int64_t weightCount(const Geometry& g) { return g.o * (g.c / g.g) * g.kh * g.kw; }

struct Fwd {
  dnnl::convolution_forward prim;
  memory src, wUser, wPrim, bias, dst;
  dnnl::reorder wReorder;
  bool reorderW = false, hasBias = false;
};

struct BwdData {
  dnnl::convolution_backward_data prim;
  memory diffDst, wUser, wPrim, diffSrc;
  dnnl::reorder wReorder;
  bool reorderW = false;
};

struct BwdWeights {
  dnnl::convolution_backward_weights prim;
  memory src, diffDst, dwPrim, dwUser;
  dnnl::reorder dwReorder;
  bool reorderW = false;
};

std::unordered_map<std::string, std::unique_ptr<Fwd>> fwdCache;
std::unordered_map<std::string, std::unique_ptr<BwdData>> bwdDataCache;
std::unordered_map<std::string, std::unique_ptr<BwdWeights>> bwdWeightsCache;

Fwd& fwdFor(const Geometry& g, const std::string& key, bool hasBias, bool relu) {
  auto it = fwdCache.find(key);
  if (it != fwdCache.end()) return *it->second;
  auto& eng = cpuEngine();
  auto f = std::make_unique<Fwd>();
  memory::desc biasMd = hasBias ? memory::desc({g.o}, dt::f32, tag::x) : memory::desc();
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                    g.src(), g.wei(tag::any), biasMd, g.dst(), g.strides(), g.dilates(), g.padL(),
                                    g.padR());
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    attr.set_post_ops(ops);
  }
  dnnl::convolution_forward::primitive_desc pd(d, attr, eng);
  f->prim = dnnl::convolution_forward(pd);
  f->src = memory(g.src(), eng, nullptr);
  f->dst = memory(g.dst(), eng, nullptr);
  f->wUser = memory(g.weiUser(), eng, nullptr);
  f->reorderW = pd.weights_desc() != f->wUser.get_desc();
  if (f->reorderW) {
    f->wPrim = memory(pd.weights_desc(), eng);
    f->wReorder = dnnl::reorder(f->wUser, f->wPrim);
  }
  f->hasBias = hasBias;
  if (hasBias) f->bias = memory(biasMd, eng, nullptr);
  return *fwdCache.emplace(key, std::move(f)).first->second;
}

// conv2dForward(x, w, bias | null, y, geometry, relu)
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  Geometry g(ints(info[4], "geometry"), info.Env());
  float* bias = optionalF32(info, 2, "bias");
  bool hasBias = bias != nullptr;
  bool relu = info[5].ToBoolean();
  std::vector<int64_t> p = ints(info[4], "geometry");
  p.push_back(hasBias);
  p.push_back(relu);
  Fwd& f = fwdFor(g, keyOf(p), hasBias, relu);
  auto& s = cpuStream();
  f.src.set_data_handle(f32(info[0], "x"));
  f.wUser.set_data_handle(f32(info[1], "filter"));
  f.dst.set_data_handle(f32(info[3], "y"));
  if (f.reorderW) {
    std::unique_ptr<SingleThreaded> one(weightCount(g) < kSmallReorder ? new SingleThreaded() : nullptr);
    f.wReorder.execute(s, f.wUser, f.wPrim);
  }
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, f.src},
                                       {DNNL_ARG_WEIGHTS, f.reorderW ? f.wPrim : f.wUser},
                                       {DNNL_ARG_DST, f.dst}};
  if (hasBias) {
    f.bias.set_data_handle(bias);
    args.insert({DNNL_ARG_BIAS, f.bias});
  }
  f.prim.execute(s, args);
  s.wait();
  return info.Env().Undefined();
}

// conv2dBackpropInput(dy, w, dx, geometry)
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& info) {
  std::vector<int64_t> p = ints(info[3], "geometry");
  Geometry g(p, info.Env());
  std::string key = keyOf(p);
  auto it = bwdDataCache.find(key);
  auto& eng = cpuEngine();
  if (it == bwdDataCache.end()) {
    auto b = std::make_unique<BwdData>();
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, g.src(), g.wei(tag::any), g.dst(),
                                            g.strides(), g.dilates(), g.padL(), g.padR());
    dnnl::convolution_backward_data::primitive_desc pd(d, eng, g.forwardHint());
    b->prim = dnnl::convolution_backward_data(pd);
    b->diffDst = memory(g.dst(), eng, nullptr);
    b->diffSrc = memory(g.src(), eng, nullptr);
    b->wUser = memory(g.weiUser(), eng, nullptr);
    b->reorderW = pd.weights_desc() != b->wUser.get_desc();
    if (b->reorderW) {
      b->wPrim = memory(pd.weights_desc(), eng);
      b->wReorder = dnnl::reorder(b->wUser, b->wPrim);
    }
    it = bwdDataCache.emplace(key, std::move(b)).first;
  }
  BwdData& b = *it->second;
  auto& s = cpuStream();
  b.diffDst.set_data_handle(f32(info[0], "dy"));
  b.wUser.set_data_handle(f32(info[1], "filter"));
  b.diffSrc.set_data_handle(f32(info[2], "dx"));
  if (b.reorderW) {
    std::unique_ptr<SingleThreaded> one(weightCount(g) < kSmallReorder ? new SingleThreaded() : nullptr);
    b.wReorder.execute(s, b.wUser, b.wPrim);
  }
  b.prim.execute(s, {{DNNL_ARG_DIFF_DST, b.diffDst},
                     {DNNL_ARG_WEIGHTS, b.reorderW ? b.wPrim : b.wUser},
                     {DNNL_ARG_DIFF_SRC, b.diffSrc}});
  s.wait();
  return info.Env().Undefined();
}

// conv2dBackpropFilter(x, dy, dw, geometry)
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& info) {
  std::vector<int64_t> p = ints(info[3], "geometry");
  Geometry g(p, info.Env());
  std::string key = keyOf(p);
  auto it = bwdWeightsCache.find(key);
  auto& eng = cpuEngine();
  if (it == bwdWeightsCache.end()) {
    auto b = std::make_unique<BwdWeights>();
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, g.src(), g.wei(tag::any),
                                               g.dst(), g.strides(), g.dilates(), g.padL(), g.padR());
    dnnl::convolution_backward_weights::primitive_desc pd(d, eng, g.forwardHint());
    b->prim = dnnl::convolution_backward_weights(pd);
    b->src = memory(g.src(), eng, nullptr);
    b->diffDst = memory(g.dst(), eng, nullptr);
    b->dwUser = memory(g.weiUser(), eng, nullptr);
    b->reorderW = pd.diff_weights_desc() != b->dwUser.get_desc();
    if (b->reorderW) {
      b->dwPrim = memory(pd.diff_weights_desc(), eng);
      b->dwReorder = dnnl::reorder(b->dwPrim, b->dwUser);
    }
    it = bwdWeightsCache.emplace(key, std::move(b)).first;
  }
  BwdWeights& b = *it->second;
  auto& s = cpuStream();
  b.src.set_data_handle(f32(info[0], "x"));
  b.diffDst.set_data_handle(f32(info[1], "dy"));
  b.dwUser.set_data_handle(f32(info[2], "dw"));
  b.prim.execute(s, {{DNNL_ARG_SRC, b.src},
                     {DNNL_ARG_DIFF_DST, b.diffDst},
                     {DNNL_ARG_DIFF_WEIGHTS, b.reorderW ? b.dwPrim : b.dwUser}});
  if (b.reorderW) {
    std::unique_ptr<SingleThreaded> one(weightCount(g) < kSmallReorder ? new SingleThreaded() : nullptr);
    b.dwReorder.execute(s, b.dwPrim, b.dwUser);
  }
  s.wait();
  return info.Env().Undefined();
}

Napi::Value ConvImplInfo(const Napi::CallbackInfo& info) {
  // Which oneDNN implementation a forward conv of this geometry uses (for diagnostics).
  Geometry g(ints(info[0], "geometry"), info.Env());
  return Napi::String::New(info.Env(), g.forwardHint().impl_info_str());
}

}  // namespace

void initConv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2dForward", Napi::Function::New(env, Conv2dForward));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2dBackpropInput));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2dBackpropFilter));
  exports.Set("convImplInfo", Napi::Function::New(env, ConvImplInfo));
}

}  // namespace repro
