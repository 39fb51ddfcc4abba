// SPDX-License-Identifier: MIT
#pragma once

// OipResponse: the answer to an Open Inference Protocol v2 infer request, as JSON or, for the
// outputs a client asked to get binary (Triton's binary tensor extension), as a JSON header
// followed by the raw bytes. It always names model_name and the model_version that answered,
// and echoes the request's id.
//
// Outputs (all of them when the request names none):
//   OUTPUT__0      FP32  [rows, W]  logits (classification) or the prediction (regression, W = 1)
//   probabilities  FP32  [rows, C]  softmax probabilities (classification)
//   label          BYTES [rows]     the predicted class's name (classification)
// NaN and infinity are written as Python's json module writes them (NaN, Infinity, -Infinity),
// which the Python clients read back; they are never turned into numbers they are not.

#include "common/result.h"
#include "inference/inference_engine.h"
#include "serve/oip_request.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace mlwb {

class OipResponse {
public:
    static constexpr const char *kOutput = "OUTPUT__0";
    static constexpr const char *kProbabilities = "probabilities";
    static constexpr const char *kLabel = "label";

    // What a model answers with.
    struct Model {
        QString name;
        QString version;
        QStringList labels; // class names (classification)
        bool classification = true;
    };

    // The output names a model offers.
    static QStringList outputNames(bool classification);
    // Whether every output the request asks for exists (before the model runs).
    static Status checkOutputs(const OipRequest &request, bool classification);

    // The body, and the JSON header's length when some output is binary (-1 when the body is
    // all JSON): the Inference-Header-Content-Length of the answer.
    static OipResponse encode(const OipRequest &request, const Model &model,
                              const InferenceEngine::Prediction &prediction);

    QByteArray body;
    qint64 jsonLength = -1;
};

} // namespace mlwb
