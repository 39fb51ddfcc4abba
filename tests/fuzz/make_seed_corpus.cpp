// SPDX-License-Identifier: MIT
// Writes the seed corpus under tests/fuzz/corpus/ (run_fuzz.sh --make-corpus): real sealed
// packages made with PackageArchive::write and PackageSeal::seal, and the hostile ones the
// reader must refuse, made from real ones by changing names in place (same length, so the
// zip stays well-formed) or cutting them short. The files are committed; rerunning this
// replaces them (signatures and timestamps differ, which is fine for seeds).

#include "package/package_archive.h"
#include "package/package_manifest.h"
#include "package/package_seal.h"
#include "package/signing_key.h"

#include <QDir>
#include <QFile>

#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <limits>

using namespace mlwb;

namespace {

using Entries = std::vector<PackageArchive::Entry>;

[[noreturn]] void die(const QString &why)
{
    std::fprintf(stderr, "make_seed_corpus: %s\n", why.toLocal8Bit().constData());
    std::exit(1);
}

template <typename T>
T need(Result<T> r)
{
    if (!r)
        die(r.error());
    return std::move(*r);
}

PackageArchive::Entry entry(const char *name, const QByteArray &data)
{
    return {QString::fromLatin1(name), data};
}

// A few hundred bytes that deflate a little, like a small model would.
QByteArray modelBytes()
{
    QByteArray b(400, Qt::Uninitialized);
    for (qsizetype i = 0; i < b.size(); ++i)
        b[i] = char((i * 7919 >> 3) % 17);
    return b;
}

Entries contents()
{
    return {entry("manifest.json", R"({"format": 1, "name": "digits-mlp", "version": "1.0.0", "inputs": 64})"),
            entry("model.pt", modelBytes()), entry("preprocessing.json", R"({"scale": [0.0625]})")};
}

// Every occurrence of `from` (local header and central directory) becomes `to`, same length.
QByteArray renamed(QByteArray zip, const QByteArray &from, const QByteArray &to)
{
    if (from.size() != to.size())
        die(QStringLiteral("renames keep the length"));
    qsizetype at = 0;
    int n = 0;
    while ((at = zip.indexOf(from, at)) >= 0) {
        zip.replace(at, from.size(), to);
        at += to.size();
        ++n;
    }
    if (n == 0)
        die(QStringLiteral("nothing to rename"));
    return zip;
}

class Writer {
public:
    explicit Writer(const QString &dir) : m_dir(dir) {}
    void put(const QString &harness, const char *name, const QByteArray &bytes)
    {
        const QString folder = m_dir + u'/' + harness;
        QDir().mkpath(folder);
        QFile f(folder + u'/' + QString::fromLatin1(name));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
            die(QStringLiteral("cannot write %1").arg(f.fileName()));
    }

private:
    QString m_dir;
};

QByteArray sealedZip(Entries entries, const SigningKey *key)
{
    return need(PackageArchive::write(need(PackageSeal::seal(std::move(entries), key))));
}

// The record form fuzz_package_seal reads: FLAGS NAME \0 DATA \0 ...
QByteArray records(uint8_t flags, const Entries &entries)
{
    QByteArray out(1, char(flags));
    for (size_t i = 0; i < entries.size(); ++i) {
        if (i > 0)
            out += '\0';
        out += entries[i].name.toUtf8() + '\0' + entries[i].data;
    }
    return out;
}

// The form fuzz_oip_request reads: FLAGS FEATURES LEN[4] BODY (see the harness). With a
// header length, LEN is the JSON's length as it is (flag bit 1), so a seed starts valid.
QByteArray oip(uint8_t flags, uint8_t features, const QByteArray &body, qint32 headerLength = 0)
{
    QByteArray out;
    out += char(flags);
    out += char(features - 1);
    out.append(reinterpret_cast<const char *>(&headerLength), sizeof headerLength); // little-endian
    return out + body;
}

QByteArray floats(std::initializer_list<float> values)
{
    QByteArray out;
    for (const float v : values)
        out.append(reinterpret_cast<const char *>(&v), sizeof v);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seed_corpus CORPUS_DIR\n");
        return 2;
    }
    Writer out(QString::fromLocal8Bit(argv[1]));
    const SigningKey key = need(SigningKey::generate(QStringLiteral("seed@corpus")));
    const SigningKey other = need(SigningKey::generate(QStringLiteral("other@corpus")));

    // fuzz_package_archive: real packages, then what a reader must refuse.
    const QString archive = QStringLiteral("fuzz_package_archive");
    const QByteArray unsignedZip = sealedZip(contents(), nullptr);
    const QByteArray signedZip = sealedZip(contents(), &key);
    out.put(archive, "sealed_unsigned.mlwbpkg", unsignedZip);
    out.put(archive, "sealed_signed.mlwbpkg", signedZip);
    out.put(archive, "one_entry.mlwbpkg", need(PackageArchive::write({entry("a", "x")})));
    out.put(archive, "empty.mlwbpkg", QByteArray("PK\x05\x06", 4) + QByteArray(18, '\0'));
    out.put(archive, "truncated.mlwbpkg", signedZip.left(signedZip.size() / 2));
    out.put(archive, "no_central_directory.mlwbpkg", signedZip.left(signedZip.lastIndexOf("PK\x01\x02")));
    {
        Entries e = contents();
        e.push_back(entry("data_", {}));
        e.push_back(entry("data_x.csv", "a,b\n1,2\n"));
        out.put(archive, "folder_entry.mlwbpkg", renamed(sealedZip(e, &key), "data_", "data/"));
    }
    out.put(archive, "dotdot.mlwbpkg",
            renamed(need(PackageArchive::write({entry("aa/evil", "x"), entry("manifest.json", "{}")})), "aa/evil", "../evil"));
    out.put(archive, "absolute.mlwbpkg", renamed(need(PackageArchive::write({entry("_etc_passwd", "root")})), "_etc_passwd", "/etc_passwd"));
    out.put(archive, "drive_letter.mlwbpkg", renamed(need(PackageArchive::write({entry("c_x", "x")})), "c_x", "c:x"));
    out.put(archive, "backslash.mlwbpkg", renamed(need(PackageArchive::write({entry("a_b", "x")})), "a_b", "a\\b"));
    out.put(archive, "nul_in_name.mlwbpkg", renamed(need(PackageArchive::write({entry("a_b", "x")})), "a_b", QByteArray("a\0b", 3)));
    out.put(archive, "duplicate.mlwbpkg",
            renamed(need(PackageArchive::write({entry("one.txt", "1"), entry("two.txt", "2")})), "two.txt", "one.txt"));
    {
        Entries many;
        for (int i = 0; i < 20; ++i)
            many.push_back({QStringLiteral("e%1").arg(i, 2, 10, QChar(u'0')), QByteArray(1, char('a' + i))});
        out.put(archive, "many_entries.mlwbpkg", need(PackageArchive::write(many)));
    }
    out.put(archive, "bad_crc.mlwbpkg", [&] {
        QByteArray z = need(PackageArchive::write({entry("text", "the same text, the same text, again")}));
        const qsizetype data = 30 + 4; // after the local header and the name
        z[data + 2] = char(z[data + 2] ^ 0x20);
        return z;
    }());
    {
        auto sealed = need(PackageSeal::seal(contents(), &key));
        sealed[1].data[10] = 'X'; // model.pt changed after sealing
        out.put(archive, "tampered_entry.mlwbpkg", need(PackageArchive::write(sealed)));
    }
    {
        auto sealed = need(PackageSeal::seal(contents(), nullptr));
        sealed.push_back(entry("added.txt", "after sealing"));
        out.put(archive, "added_entry.mlwbpkg", need(PackageArchive::write(sealed)));
        sealed.pop_back();
        sealed.erase(sealed.begin() + 1);
        out.put(archive, "missing_entry.mlwbpkg", need(PackageArchive::write(sealed)));
    }
    {
        Entries e = contents();
        e.push_back(entry("hashes.json", R"({"format": 2, "algorithm": "sha256", "entries": {}})"));
        out.put(archive, "newer_format.mlwbpkg", need(PackageArchive::write(e)));
        e.back().data = R"({"format": 1, "algorithm": "md5", "entries": {}})";
        out.put(archive, "other_algorithm.mlwbpkg", need(PackageArchive::write(e)));
        e.back().data = "{\"format\": 1, \"entr";
        out.put(archive, "hashes_not_json.mlwbpkg", need(PackageArchive::write(e)));
    }
    {
        auto sealed = need(PackageSeal::seal(contents(), &key));
        QByteArray sig = sealed.back().data;
        const QByteArray otherKey = other.publicKey().toText().trimmed();
        sig.replace(key.publicKey().toText().trimmed(), otherKey); // another key, the same signature
        sealed.back().data = sig;
        out.put(archive, "foreign_signature.mlwbpkg", need(PackageArchive::write(sealed)));
        sealed.back().data = R"({"format": 1, "key_id": "0", "public_key": "mlwb-ed25519 AAAA", "signature": "!!"})";
        out.put(archive, "bad_signature.mlwbpkg", need(PackageArchive::write(sealed)));
    }

    // fuzz_package_seal: the same packages in its record form.
    const QString seal = QStringLiteral("fuzz_package_seal");
    out.put(seal, "sealed_unsigned", records(0x01, contents()));
    out.put(seal, "sealed_signed_trusted", records(0x01 | 0x02 | 0x04 | 0x08, contents()));
    out.put(seal, "sealed_signed_untrusted", records(0x01 | 0x04, contents()));
    out.put(seal, "unsigned_required", records(0x01 | 0x02, contents()));
    out.put(seal, "as_given_signed", records(0x00, need(PackageSeal::seal(contents(), &key))));
    {
        Entries e = contents();
        e.push_back(entry("signature.json", R"({"format": 1, "key_id": "x", "public_key": ")" +
                                                other.publicKey().toText().trimmed() + R"(", "signature": "AAAA"})"));
        out.put(seal, "input_signature", records(0x01 | 0x08, e));
    }
    out.put(seal, "folder", records(0x01, {entry("data/", {}), entry("data/x.csv", "a\n1\n")}));

    // fuzz_public_key: key lines good and bad.
    const QString pub = QStringLiteral("fuzz_public_key");
    const QByteArray good = key.publicKey().toText();
    const QByteArray b64 = key.publicKey().bytes().toBase64();
    out.put(pub, "valid.pub", good);
    out.put(pub, "no_comment.pub", "mlwb-ed25519 " + b64 + '\n');
    out.put(pub, "spaces_crlf.pub", "  mlwb-ed25519\t " + b64 + "   alice@host  (laptop)\r\n");
    out.put(pub, "utf8_comment.pub", "mlwb-ed25519 " + b64 + " J\xc3\xbcrgen@h\xc3\xb4te\n");
    out.put(pub, "two_lines.pub", good + good);
    out.put(pub, "wrong_tag.pub", "ssh-ed25519 " + b64 + " bob\n");
    out.put(pub, "not_base64.pub", "mlwb-ed25519 !!notbase64!! bob\n");
    out.put(pub, "short_key.pub", "mlwb-ed25519 " + key.publicKey().bytes().left(31).toBase64() + '\n');
    out.put(pub, "long_key.pub", "mlwb-ed25519 " + (key.publicKey().bytes() + 'x').toBase64() + '\n');
    out.put(pub, "tag_only.pub", "mlwb-ed25519\n");
    out.put(pub, "empty.pub", {});
    // fuzz_package_manifest: a real manifest (as PackageBuilder writes one), then broken ones.
    const QString man = QStringLiteral("fuzz_package_manifest");
    PackageManifest m;
    m.name = QStringLiteral("iris-mlp");
    m.version = QStringLiteral("1.2.0");
    m.created = QDateTime(QDate(2026, 12, 2), QTime(13, 0), Qt::UTC);
    m.author = QStringLiteral("alice@host");
    m.input.shape = {2};
    m.input.features = {{QStringLiteral("petal_length"), QStringLiteral("numeric"), {}},
                        {QStringLiteral("colour"), QStringLiteral("category"), {QStringLiteral("red"), QStringLiteral("blue")}}};
    m.input.modelShape = {1, 1, 3};
    m.input.preprocessing = QJsonObject{{QStringLiteral("task"), QStringLiteral("classification")}};
    m.output.shape = {3};
    m.output.labels = {QStringLiteral("setosa"), QStringLiteral("versicolor"), QStringLiteral("virginica")};
    m.output.target = QStringLiteral("species");
    m.lineage.runId = 4;
    m.lineage.datasetSha256 = QString(64, QLatin1Char('a'));
    m.lineage.metrics = QJsonObject{{QStringLiteral("accuracy"), 0.95}, {QStringLiteral("log_loss"), QStringLiteral("NaN")}};
    m.libtorchVersion = QStringLiteral("1.13.1");
    const QByteArray manifest = m.toBytes();
    out.put(man, "classification.json", manifest);
    m.output.task = QStringLiteral("regression");
    m.output.shape = {1};
    m.output.labels = {QStringLiteral("progression")};
    out.put(man, "regression.json", m.toBytes());
    out.put(man, "newer_format.json", QByteArray(manifest).replace("\"format\": 1", "\"format\": 2"));
    out.put(man, "bad_version.json", QByteArray(manifest).replace("1.2.0", "1.02.0"));
    out.put(man, "bad_name.json", QByteArray(manifest).replace("\"iris-mlp\"", "\"../iris\""));
    out.put(man, "truncated.json", manifest.left(manifest.size() / 2));
    out.put(man, "not_object.json", "[1, 2, 3]");

    // fuzz_oip_request: the forms real clients send (tests/core/serve/oip_codec_test.cpp).
    const QString req = QStringLiteral("fuzz_oip_request");
    out.put(req, "kserve_id_model_name.bin",
            oip(0, 4, R"({"id":"0f8fad5b-d9cb-469f-a165-70867728950e","model_name":"iris","parameters":{"x":1},)"
                      R"("inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2],"parameters":{}}]})"));
    out.put(req, "nested_two_rows.bin",
            oip(0, 4, R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","data":[[1,2,3,4],[5,6,7,8]]}],)"
                      R"("outputs":[{"name":"label"},{"name":"OUTPUT__0"}]})"));
    out.put(req, "one_row_shape_f.bin",
            oip(0, 3, R"({"inputs":[{"name":"INPUT__0","shape":[3],"datatype":"FP32","data":[1e38,-0,1E-7]}]})"));
    out.put(req, "nan_nulls.bin",
            oip(0, 4, R"({"id":"nan","inputs":[{"name":"INPUT__0","shape":[1,4],"datatype":"FP32","data":[null,"NaN","Infinity","-inf"]}]})"));
    out.put(req, "deep_nesting.bin",
            oip(0, 2, R"({"inputs":[{"name":"INPUT__0","shape":[1,2],"datatype":"FP32","data":[[[[[[[[1,2]]]]]]]]}]})"));
    {
        const QByteArray header = R"({"inputs":[{"name":"INPUT__0","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":32}}],)"
                                  R"("outputs":[{"name":"probabilities","parameters":{"binary_data":true}},{"name":"label","parameters":{"binary_data":false}}]})";
        const QByteArray values = floats({1, 2, 3, 4, 5, std::numeric_limits<float>::quiet_NaN(), 7, 8});
        out.put(req, "tritonclient_binary.bin", oip(0x01 | 0x02, 4, header + values, qint32(header.size())));
        out.put(req, "tritonclient_binary_truncated.bin", oip(0x01 | 0x02, 4, header + values.left(30), qint32(header.size())));
        out.put(req, "header_length_beyond.bin", oip(0x01 | 0x02, 4, header + values, qint32(header.size() + 33)));
        out.put(req, "header_length_negative.bin", oip(0x01 | 0x02, 4, header + values, -1));
        const QByteArray allBinary = R"({"id":"b","parameters":{"binary_data_output":true},)"
                                     R"("inputs":[{"name":"INPUT__0","shape":[1,2],"datatype":"FP32","parameters":{"binary_data_size":8}}]})";
        out.put(req, "binary_outputs.bin", oip(0x01 | 0x02, 2, allBinary + floats({0.5f, -2}), qint32(allBinary.size())));
        out.put(req, "binary_regression.bin", oip(0x01 | 0x02 | 0x08, 2, allBinary + floats({0.5f, -2}), qint32(allBinary.size())));
    }
    out.put(req, "spec_lookup_unknown.bin",
            oip(0x04, 1, R"({"id":"unknown","inputs":[{"name":"INPUT__0","shape":[1,1],"datatype":"FP32","data":[1]}]})"));
    out.put(req, "huge_shape.bin",
            oip(0, 4, R"({"inputs":[{"name":"INPUT__0","shape":[4611686018427387904,4],"datatype":"FP32","data":[1,2,3,4]}]})"));
    out.put(req, "escaped_id.bin",
            oip(0, 1, R"({"id":"a\"b\\c\n\u0001\ud800","inputs":[{"name":"INPUT__0","shape":[1,1],"datatype":"FP32","data":[0]}],"outputs":[{"name":"x"}]})"));

    // fuzz_prometheus_text: what MetricRegistry writes, and what other exporters do.
    const QString prom = QStringLiteral("fuzz_prometheus_text");
    out.put(prom, "agent_metrics.txt",
            "# HELP mlwb_requests_total Infer requests answered, by model and status.\n"
            "# TYPE mlwb_requests_total counter\n"
            "mlwb_requests_total{model=\"iris\",version=\"1.2.0\",status=\"200\"} 42\n"
            "mlwb_requests_total{model=\"iris\",version=\"1.2.0\",status=\"400\"} 3\n"
            "# HELP mlwb_models_loaded Models the agent serves.\n"
            "# TYPE mlwb_models_loaded gauge\n"
            "mlwb_models_loaded 2\n"
            "# HELP mlwb_request_seconds Time to answer an infer request.\n"
            "# TYPE mlwb_request_seconds histogram\n"
            "mlwb_request_seconds_bucket{model=\"iris\",le=\"0.001\"} 1\n"
            "mlwb_request_seconds_bucket{model=\"iris\",le=\"0.01\"} 5\n"
            "mlwb_request_seconds_bucket{model=\"iris\",le=\"+Inf\"} 7\n"
            "mlwb_request_seconds_sum{model=\"iris\"} 0.0625\n"
            "mlwb_request_seconds_count{model=\"iris\"} 7\n");
    out.put(prom, "escaped_labels.txt",
            "# HELP odd_total A help text with \\\\ and \\n escapes.\n"
            "# TYPE odd_total counter\n"
            "odd_total{path=\"C:\\\\models\\\\iris\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",utf8=\"J\xc3\xbcrgen\"} 1 1733140800000\n"
            "odd_total{path=\"\"} +Inf\n");
    out.put(prom, "bad_histogram.txt",
            "# TYPE h histogram\n"
            "h_bucket{le=\"1\"} 5\n"
            "h_bucket{le=\"0.5\"} 3\n"
            "h_bucket{le=\"+Inf\"} 4\n"
            "h_count 9\n"
            "h_bucket{le=\"x\"} 1\n");
    out.put(prom, "summary_untyped.txt",
            "# a plain comment\n"
            "# TYPE rpc_seconds summary\n"
            "rpc_seconds{quantile=\"0.5\"} NaN\n"
            "rpc_seconds_sum 1.5e3\n"
            "rpc_seconds_count 3\n"
            "process_start_time_seconds 1.7e9\n"
            "  \t\n"
            "some:recording:rule -Inf -5\n");
    out.put(prom, "split_family.txt", "a 1\nb 2\na 3\n");
    out.put(prom, "bad_escape.txt", "x{l=\"\\t\"} 1\n");
    out.put(prom, "reserved_label.txt", "x{__name__=\"y\"} 1\n");
    out.put(prom, "hex_value.txt", "x 0x1p3\n");
    std::printf("seed corpus written under %s\n", argv[1]);
    return 0;
}
