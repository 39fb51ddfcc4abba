// SPDX-License-Identifier: MIT
#pragma once

// TritonExport: a trained model as a Triton model repository entry for the pytorch_libtorch
// backend (NAME/config.pbtxt, NAME/1/model.pt, NAME/labels.txt for classification, and
// NAME/README.md listing the input columns). Triton runs no preprocessing, so the model.pt
// written here is not the model alone but a wrapper around it that takes RAW rows and applies
// the model's Preprocessing itself (imputation, standardising, one-hot blocks, the image reshape)
// before calling the model, and for regression unscales the output into the target's units.
// Classification outputs stay logits, as the model gives them: Triton users apply softmax.

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace mlwb {

class LoadedModel;

class TritonExport {
public:
    struct Options {
        QString name;                        // the model's directory and config name
        int maxBatchSize = 32;               // >= 1: Triton batches along the first dimension
        int maxQueueDelayMicroseconds = 500; // dynamic batching: how long a request may wait
        int instances = 1;                   // CPU instances (KIND_CPU)
    };

    // A TorchScript archive (torch.jit.save format) of the wrapper: forward(INPUT__0) takes
    // [batch, F] float32 raw rows, F = preprocessing().features().size(), one value per feature
    // in that order (a number in the column's units, a category's code, a boolean as 0 or 1,
    // NaN for missing), and returns [batch, outputs] float32: logits, or regression predictions
    // in the target's units. The forward argument is named INPUT__0 so Triton's naming rules
    // (argument names, or <name>__<index>) agree. The model must have a preprocessing; `source`
    // names it in messages. The archive carries no mlwb/preprocessing.json: its input is raw.
    static Result<QByteArray> rawInputModule(const LoadedModel &model, const QString &source);

    // config.pbtxt for `features` raw inputs and `outputs` outputs; `labelsFile` (classification)
    // becomes the output's label_filename. Options are not checked here (write() does).
    static QString config(const Options &options, qint64 features, qint64 outputs,
                          const QString &labelsFile = {});

    // Writes DIRECTORY/NAME/{config.pbtxt, 1/model.pt, README.md} and, for classification,
    // NAME/labels.txt (one class name per line). The files are written into a hidden sibling
    // directory first and renamed into place, so Triton never sees half a model and a failure
    // leaves nothing behind. A NAME that exists and is not an empty directory is a conflict; a
    // name outside [A-Za-z0-9][A-Za-z0-9._-]{0,63} or bad options are invalid input; a failed
    // write, flush or rename is an I/O error naming the path.
    static Status write(const QString &directory, const Options &options, const LoadedModel &model,
                        const QString &source);
};

} // namespace mlwb
