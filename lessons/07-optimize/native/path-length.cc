// The length of a polyline given as a flat Float64Array [x0, y0, x1, y1, ...], in C++.
//
// Three entry points, the same arithmetic as src/path-length.ts (same order of additions,
// no fused multiply-add: -ffp-contract=off in binding.gyp), so JS and native give
// bit-identical results and the tests can compare them with Object.is.
//   segmentLength(x1, y1, x2, y2)  one tiny call: the N-API boundary costs more than the work
//   pathLength(coords)              one call over a whole TypedArray: the work dominates
//   pathLengthAsync(coords)         the same on the libuv thread pool (Napi::AsyncWorker)
#include <napi.h>
#include <cmath>
#include <cstddef>

namespace {

double Segment(double x1, double y1, double x2, double y2) {
  const double dx = x2 - x1;
  const double dy = y2 - y1;
  return std::sqrt(dx * dx + dy * dy);
}

double Sum(const double* coords, size_t length) {
  double total = 0;
  for (size_t i = 2; i + 1 < length; i += 2) {
    total += Segment(coords[i - 2], coords[i - 1], coords[i], coords[i + 1]);
  }
  return total;
}

// Validates the argument the way the JS version does; on failure a JS exception is pending
// and the function returns false. Never crash the process on bad input.
bool ReadCoords(const Napi::CallbackInfo& info, Napi::Float64Array* out) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Napi::TypeError::New(env, "coords must be a Float64Array").ThrowAsJavaScriptException();
    return false;
  }
  Napi::Float64Array coords = info[0].As<Napi::Float64Array>();
  if (coords.ElementLength() % 2 != 0) {
    Napi::RangeError::New(env, "coords must hold x,y pairs (even length)").ThrowAsJavaScriptException();
    return false;
  }
  *out = coords;
  return true;
}

Napi::Value SegmentLength(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber() || !info[3].IsNumber()) {
    Napi::TypeError::New(env, "segmentLength takes four numbers").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, Segment(info[0].As<Napi::Number>().DoubleValue(), info[1].As<Napi::Number>().DoubleValue(),
                                        info[2].As<Napi::Number>().DoubleValue(), info[3].As<Napi::Number>().DoubleValue()));
}

Napi::Value PathLength(const Napi::CallbackInfo& info) {
  Napi::Float64Array coords;
  if (!ReadCoords(info, &coords)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), Sum(coords.Data(), coords.ElementLength()));
}

// Runs Sum on a libuv pool thread. JS must not touch V8 objects there, so the worker keeps
// a raw pointer into the array's memory and a persistent reference that stops the GC from
// freeing it until OnOK/OnError runs back on the main thread. The caller must not write
// to the array meanwhile (documented in src/native.ts).
class PathLengthWorker : public Napi::AsyncWorker {
 public:
  PathLengthWorker(Napi::Env env, Napi::Float64Array coords)
      : Napi::AsyncWorker(env, "pathLengthAsync"),
        deferred_(Napi::Promise::Deferred::New(env)),
        keepAlive_(Napi::Persistent(coords)),
        data_(coords.Data()),
        length_(coords.ElementLength()) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { result_ = Sum(data_, length_); }  // LESSON: off the main thread
  void OnOK() override { deferred_.Resolve(Napi::Number::New(Env(), result_)); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Float64Array> keepAlive_;
  const double* data_;
  size_t length_;
  double result_ = 0;
};

Napi::Value PathLengthAsync(const Napi::CallbackInfo& info) {
  Napi::Float64Array coords;
  if (!ReadCoords(info, &coords)) return info.Env().Undefined();
  auto* worker = new PathLengthWorker(info.Env(), coords);  // deleted by AsyncWorker after OnOK
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("segmentLength", Napi::Function::New(env, SegmentLength, "segmentLength"));
  exports.Set("pathLength", Napi::Function::New(env, PathLength, "pathLength"));
  exports.Set("pathLengthAsync", Napi::Function::New(env, PathLengthAsync, "pathLengthAsync"));
  return exports;
}

}  // namespace

NODE_API_MODULE(path_length, Init)
