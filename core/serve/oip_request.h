// SPDX-License-Identifier: MIT
#pragma once

// OipRequest: one Open Inference Protocol v2 infer request, parsed and checked against the
// model's input before anything reaches the engine. Requests come in the forms real clients
// send them:
//   - JSON: {"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype", "data"}],
//     "outputs"?: [{"name", "parameters"?: {"binary_data"}}]}, `data` nested or flat
//     (row-major), unknown fields (KServe's client adds "model_name") ignored;
//   - Triton's binary tensor extension (tritonclient's default): the JSON header first, its
//     length in the Inference-Header-Content-Length header, then each input whose
//     parameters.binary_data_size is set as raw little-endian bytes, in input order.
// The model takes one FP32 input of shape [rows, F] (or [F] for one row): F raw values per row,
// a category as its code, NaN for missing (JSON null,
// or the string "NaN" as the workbench's own JSON writes it). Every refusal says what is wrong and
// where ("inputs[0].data[3]: ..."); the parser never trusts a size the client states.

#include "common/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace mlwb {

class OipRequest {
public:
    // The model input a request must match.
    struct InputSpec {
        QString name = QStringLiteral("INPUT__0");
        qint64 features = 0;
    };
    struct RequestedOutput {
        QString name;
        std::optional<bool> binary; // parameters.binary_data; unset follows binary_data_output
    };

    // `jsonLength` is the Inference-Header-Content-Length value when the request carries one.
    static Result<OipRequest> parse(QByteArrayView body, std::optional<qint64> jsonLength,
                                    const InputSpec &spec);
    // As above, the input spec found once the request's id is known (the id picks the version
    // that answers, and the version has the spec); `id` is nullptr when the request has none.
    // An error of `specFor` is returned as it is.
    using SpecLookup = std::function<Result<InputSpec>(const QString *id)>;
    static Result<OipRequest> parse(QByteArrayView body, std::optional<qint64> jsonLength,
                                    const SpecLookup &specFor);

    // The request's id, with hasId() false when it sent none.
    const QString &id() const { return m_id; }
    bool hasId() const { return m_hasId; }
    qint64 rows() const { return m_rows; }
    // rows() x features raw values, row-major.
    const std::vector<float> &values() const { return m_values; }
    std::vector<float> &values() { return m_values; }
    // The outputs asked for; empty means all of them.
    const std::vector<RequestedOutput> &outputs() const { return m_outputs; }
    // parameters.binary_data_output: every output binary unless an output says otherwise.
    bool binaryOutputs() const { return m_binaryOutputs; }

private:
    QString m_id;
    bool m_hasId = false;
    qint64 m_rows = 0;
    std::vector<float> m_values;
    std::vector<RequestedOutput> m_outputs;
    bool m_binaryOutputs = false;
};

} // namespace mlwb
