// The length of a polyline given as a flat Float64Array [x0, y0, x1, y1, ...], in C++.
//
// Three entry points, the same arithmetic as src/path-length.ts (same order of additions,
// no fused multiply-add: -ffp-contract=off in binding.gyp), so JS and native give
// bit-identical results and the tests can compare them with Object.is.
//   segmentLength(x1, y1, x2, y2)  one tiny call: the N-API boundary costs more than the work
//   pathLength(coords)              one call over a whole TypedArray: the work dominates
//   pathLengthAsync(coords)         the same on the libuv thread pool (Napi::AsyncWorker), on a copy
//   pathLengthAsyncOwned(coords)    the same without the copy, on an array no other JS can reach
#include <napi.h>
#include <cmath>
#include <cstddef>
#include <vector>

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

// Runs Sum on a libuv pool thread.
//
// LESSON: a worker must not read JS-owned memory from another thread. While Execute runs,
// JS keeps going: it can write to the array, or detach its ArrayBuffer (`buffer.transfer()`,
// `structuredClone(buf, { transfer })`, `postMessage`), which hands the memory to a new owner
// that may overwrite or free it. A persistent Reference to the array does not stop that: it
// keeps the (now empty) view alive, not the memory. Two safe ways, both here:
//   copy  (pathLengthAsync): the constructor, on the main thread, copies the coordinates; the
//         pool thread reads only the copy. Simple, and the caller keeps its array; the copy
//         costs main-thread time (bench.ts prints it: for this loop, about the work itself).
//   owned (pathLengthAsyncOwned): no copy; the worker keeps a Reference to an array that no
//         other JS code can reach. Only safe behind src/native.ts, which first moves the
//         caller's buffer into a new ArrayBuffer (the caller's view is detached at once).
class PathLengthWorker : public Napi::AsyncWorker {
 public:
  PathLengthWorker(Napi::Env env, Napi::Float64Array coords, bool copy)
      : Napi::AsyncWorker(env, copy ? "pathLengthAsync" : "pathLengthAsyncOwned"),
        deferred_(Napi::Promise::Deferred::New(env)) {
    if (copy) {
      copy_.assign(coords.Data(), coords.Data() + coords.ElementLength());
      data_ = copy_.data();
    } else {
      owned_ = Napi::Persistent(coords);  // keeps the array, and so its memory, alive
      data_ = coords.Data();
    }
    length_ = coords.ElementLength();
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { result_ = Sum(data_, length_); }  // LESSON: off the main thread
  void OnOK() override { deferred_.Resolve(Napi::Number::New(Env(), result_)); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<double> copy_;                      // copy: owned by the worker
  Napi::Reference<Napi::Float64Array> owned_;     // owned: an array only this worker holds
  const double* data_ = nullptr;
  size_t length_ = 0;
  double result_ = 0;
};

Napi::Value Queue(const Napi::CallbackInfo& info, bool copy) {
  Napi::Float64Array coords;
  if (!ReadCoords(info, &coords)) return info.Env().Undefined();
  auto* worker = new PathLengthWorker(info.Env(), coords, copy);  // deleted by AsyncWorker after OnOK
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value PathLengthAsync(const Napi::CallbackInfo& info) { return Queue(info, true); }
Napi::Value PathLengthAsyncOwned(const Napi::CallbackInfo& info) { return Queue(info, false); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("segmentLength", Napi::Function::New(env, SegmentLength, "segmentLength"));
  exports.Set("pathLength", Napi::Function::New(env, PathLength, "pathLength"));
  exports.Set("pathLengthAsync", Napi::Function::New(env, PathLengthAsync, "pathLengthAsync"));
  exports.Set("pathLengthAsyncOwned", Napi::Function::New(env, PathLengthAsyncOwned, "pathLengthAsyncOwned"));
  return exports;
}

}  // namespace

NODE_API_MODULE(path_length, Init)
