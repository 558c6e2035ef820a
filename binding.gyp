{
  "targets": [
    {
      "target_name": "repro_native",
      "sources": [
        "src/engine/native/addon.cc",
        "src/engine/native/conv.cc",
        "src/engine/native/matmul.cc",
        "src/engine/native/batch_norm.cc",
        "src/engine/native/elementwise.cc",
        "src/engine/native/reduce.cc",
        "src/engine/native/copy.cc",
        "src/engine/native/pool.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fexceptions", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl"]
    }
  ]
}
