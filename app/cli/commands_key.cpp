// SPDX-License-Identifier: MIT
// mlwb key: the user's package signing key and the public keys the user trusts (kept in the
// user's config directory, never in a project file; see core/package/key_store.h).

#include "cli_context.h"

#include "package/key_store.h"

#include <QFile>
#include <QJsonArray>
#include <QSaveFile>

namespace mlwb::cli {

namespace {

QJsonObject keyJson(const PublicKey &key)
{
    return {{QStringLiteral("id"), key.id()},
            {QStringLiteral("comment"), key.comment()},
            {QStringLiteral("public_key"), QString::fromLatin1(key.toText().trimmed())}};
}

int keyShow(const Verb &v, const Args &a)
{
    if (!a.positional.isEmpty())
        return usageError(v, QStringLiteral("takes no file"));
    const KeyStore store;
    const bool made = !store.hasSigningKey();
    auto key = store.signingKey();
    if (!key)
        return failure(key.failure());
    if (a.has(QStringLiteral("json"))) {
        QJsonObject o = keyJson(key->publicKey());
        o[QStringLiteral("path")] = store.signingKeyPath();
        o[QStringLiteral("created")] = made;
        printJson(o);
        return Ok;
    }
    if (made)
        err() << "mlwb: made a new signing key in " << store.signingKeyPath() << Qt::endl;
    out() << "key " << key->publicKey().id() << " (" << key->publicKey().comment() << ")\n"
          << "secret: " << store.signingKeyPath() << "\n"
          << key->publicKey().toText();
    out().flush();
    return Ok;
}

int keyExport(const Verb &v, const Args &a)
{
    const QString path = a.value(QStringLiteral("o"), a.value(QStringLiteral("output")));
    if (!a.positional.isEmpty())
        return usageError(v, QStringLiteral("takes no file; give the output with -o FILE.pub"));
    auto key = KeyStore().signingKey();
    if (!key)
        return failure(key.failure());
    QSaveFile f(path);
    const QByteArray text = key->publicKey().toText();
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size() || !f.commit())
        return failure(ioError(QStringLiteral("cannot write %1: %2").arg(path, f.errorString())));
    if (a.has(QStringLiteral("json"))) {
        QJsonObject o = keyJson(key->publicKey());
        o[QStringLiteral("file")] = path;
        printJson(o);
    } else {
        out() << "wrote public key " << key->publicKey().id() << " to " << path << Qt::endl;
    }
    return Ok;
}

int keyTrust(const Verb &v, const Args &a)
{
    if (a.positional.size() != 1)
        return usageError(v, QStringLiteral("expected FILE.pub"));
    QFile f(a.positional[0]);
    if (!f.open(QIODevice::ReadOnly))
        return failure(ioError(QStringLiteral("cannot read %1: %2").arg(f.fileName(), f.errorString())));
    auto key = KeyStore().trust(f.read(64 * 1024), f.fileName());
    if (!key)
        return failure(key.failure());
    if (a.has(QStringLiteral("json")))
        printJson(keyJson(*key));
    else
        out() << "trusted key " << key->id() << " (" << key->comment() << ")" << Qt::endl;
    return Ok;
}

int keyList(const Verb &v, const Args &a)
{
    if (!a.positional.isEmpty())
        return usageError(v, QStringLiteral("takes no file"));
    const KeyStore store;
    auto keys = store.trustedKeys();
    if (!keys)
        return failure(keys.failure());
    QString own;
    if (store.hasSigningKey()) {
        if (auto key = store.signingKey())
            own = key->publicKey().id();
    }
    if (a.has(QStringLiteral("json"))) {
        QJsonArray list;
        for (const PublicKey &k : *keys) {
            QJsonObject o = keyJson(k);
            o[QStringLiteral("own")] = k.id() == own;
            list.append(o);
        }
        printJson({{QStringLiteral("directory"), store.directory()}, {QStringLiteral("keys"), list}});
        return Ok;
    }
    if (keys->isEmpty())
        out() << "no keys yet (mlwb key show makes yours)\n";
    for (const PublicKey &k : *keys)
        out() << k.id() << "  " << k.comment() << (k.id() == own ? "  (yours)" : "") << "\n";
    out().flush();
    return Ok;
}

} // namespace

QList<Verb> keyVerbs()
{
    return {
        makeVerb("key show", "key show [--json]",
             "show your package signing key (made on first use in the config directory, mode 0600)",
             keyShow),
        makeVerb("key export", "key export (-o|--output) FILE.pub [--json]",
             "write your public key, in the form `key trust` and an agent's --trusted-keys DIR read",
             keyExport),
        makeVerb("key trust", "key trust FILE.pub [--json]",
             "trust a colleague's public key for the packages they sign", keyTrust),
        makeVerb("key list", "key list [--json]", "list the public keys you trust, yours first", keyList),
    };
}

} // namespace mlwb::cli
