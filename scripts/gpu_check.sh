#!/usr/bin/env bash
# The webgpu engine on a real GPU, in one command (< 8 min): run unchanged on an NVIDIA machine.
#   1. Vulkan: the loader (libvulkan.so.1; if missing, extracted from a carried libvulkan1 .deb:
#      build/debs/libvulkan1_*.deb, made beforehand with `scripts/gpu_check.sh --fetch-debs`) and the
#      NVIDIA driver's Vulkan ICD, selected with VK_DRIVER_FILES (a manifest is written if the driver
#      ships libGLX_nvidia.so.0 but no nvidia_icd.json).
#   2. The adapter Dawn finds (vendor, architecture, driver, limits); a fallback adapter fails the check.
#   3. Training parity with cpu-native: ResNet-20 steps, losses within 1e-4 (test/engine/webgpu/training.test).
#   4. `repro bench` of the CIFAR ResNets on webgpu, beside PyTorch on CUDA when torch sees a GPU.
# Output: reports/gpu_check/ (adapter.json, parity.txt, bench.json, torch_cuda.json, summary.txt).
# Needs a built checkout (npm ci; node scripts/setup.mjs or npm run build + scripts/build-native.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/reports/gpu_check
MODELS=${GPU_CHECK_MODELS:-resnet20,resnet56,resnet110}
BATCH=${GPU_CHECK_BATCH:-128}
STEPS=${GPU_CHECK_STEPS:-20}
# Rehearsal on a machine without a GPU (lavapipe): GPU_CHECK_ALLOW_FALLBACK=1 GPU_CHECK_MODELS=resnet20
# GPU_CHECK_BATCH=8 GPU_CHECK_STEPS=2 scripts/gpu_check.sh (checks the script, measures nothing about GPUs).

if [ "${1:-}" = "--fetch-debs" ]; then
  mkdir -p build/debs && cd build/debs && apt-get download libvulkan1 && ls -l "$PWD"
  exit $?
fi

LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
mkdir -p "$OUT"
say() { echo "[gpu_check] $*" | tee -a "$OUT/summary.txt"; }
: > "$OUT/summary.txt"
say "$(date -u +%FT%TZ) on $(hostname); $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'nvidia-smi: not found')"

# 1. The Vulkan loader.
if ! $LDCONFIG -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  deb=$(ls build/debs/libvulkan1_*.deb 2>/dev/null | head -1)
  if [ -z "$deb" ]; then
    say "FAIL: no libvulkan.so.1 and no carried build/debs/libvulkan1_*.deb (make it with scripts/gpu_check.sh --fetch-debs where apt works)"
    exit 1
  fi
  dpkg-deb -x "$deb" build/vulkan-loader
  export LD_LIBRARY_PATH=$ROOT/build/vulkan-loader/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  say "Vulkan loader: extracted from $deb"
else
  say "Vulkan loader: $($LDCONFIG -p | grep -m1 'libvulkan.so.1' | awk '{print $NF}')"
fi

# 1b. The NVIDIA ICD.
icd=""
for d in /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d; do
  [ -f "$d/nvidia_icd.json" ] && icd="$d/nvidia_icd.json" && break
done
if [ -z "$icd" ]; then
  glx=$($LDCONFIG -p 2>/dev/null | grep -m1 'libGLX_nvidia.so.0' | awk '{print $NF}')
  if [ -n "$glx" ]; then
    icd=$ROOT/build/nvidia_icd.json
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" > "$icd"
    say "NVIDIA ICD: none installed; wrote $icd for $glx"
  fi
fi
if [ -n "$icd" ]; then
  export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd
  say "VK_DRIVER_FILES=$icd"
else
  say "WARNING: no NVIDIA Vulkan ICD found (nvidia_icd.json or libGLX_nvidia.so.0): Dawn sees whatever the loader finds"
fi

# 2. The adapter.
timeout 60 node -e "
const {probeWebGpu} = require('./dist/src/engine/webgpu');
probeWebGpu().then((p) => {
  require('fs').writeFileSync('$OUT/adapter.json', JSON.stringify(p, null, 2));
  if (!p.ok) { console.log('no adapter: ' + p.reason); process.exit(1); }
  console.log(JSON.stringify(p.adapter));
  process.exit(p.adapter.fallback && process.env.GPU_CHECK_ALLOW_FALLBACK !== '1' ? 2 : 0);
});" 2>&1 | grep -v 'artificially reduced' | tee -a "$OUT/summary.txt"
rc=${PIPESTATUS[0]}
if [ "$rc" != 0 ]; then say "FAIL: no real GPU adapter (exit $rc; 2 = only a fallback adapter)"; exit 1; fi

# 3. Parity with cpu-native (ResNet-20 steps) and the leak check, on the GPU adapter.
# CI=true: a missing cpu-native (the reference) fails instead of leaving the tests pending.
CI=true timeout 240 npx mocha --no-config --timeout 200000 dist/test/engine/webgpu/training.test.js > "$OUT/parity.txt" 2>&1
rc=$?
grep -E 'passing|failing|✔|[0-9]+\)' "$OUT/parity.txt" | tee -a "$OUT/summary.txt"
[ "$rc" = 0 ] || say "FAIL: training parity (see $OUT/parity.txt)"

# 4. Throughput: webgpu, then PyTorch on CUDA when present.
REPRO_BACKEND=webgpu timeout 200 node bin/repro.js bench --models "$MODELS" --steps "$STEPS" --warmup 3 --block 10 --batch "$BATCH" --no-torch \
  > "$OUT/bench.txt" 2>&1 || { say "FAIL: repro bench on webgpu (see $OUT/bench.txt)"; rc=1; }
cp reports/bench/bench.json "$OUT/bench.json" 2>/dev/null
grep -v 'artificially reduced' "$OUT/bench.txt" | tail -8 | tee -a "$OUT/summary.txt"
# The first Python whose torch sees a GPU (a CUDA PyTorch is usually a pip install, not Debian's).
PY=""
for p in ${GPU_CHECK_PYTHON:-} python3 /usr/bin/python3; do
  if "$p" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
  for net in ${MODELS//,/ }; do
    timeout 120 "$PY" bench/torch_bench.py --device cuda --net "$net" --steps "$STEPS" --warmup 3 --block 10 --batch "$BATCH" --threads 1 \
      >> "$OUT/torch_cuda.json" 2>> "$OUT/summary.txt" && say "PyTorch CUDA ($PY) $net: $(tail -1 "$OUT/torch_cuda.json")"
  done
else
  say "PyTorch with CUDA: not present (no GPU_CHECK_PYTHON, python3 or /usr/bin/python3 whose torch.cuda.is_available())"
fi
say "done: $OUT"
[ "$rc" = 0 ]
