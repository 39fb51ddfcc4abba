// SPDX-License-Identifier: MIT
// A sealed package: any changed, added or removed entry, a changed signature, a foreign key and
// an unsigned package where a signature is required are each refused by name.

#include "package/package_seal.h"

#include "package/signing_key.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <optional>

using namespace mlwb;

namespace {

std::vector<PackageArchive::Entry> content()
{
    return {{QStringLiteral("manifest.json"), "{\"name\": \"digits\", \"version\": \"1.0.0\"}"},
            {QStringLiteral("model.pt"), QByteArray(4096, 'w')},
            {QStringLiteral("baseline.json"), "{}"}};
}

PackageArchive reread(const std::vector<PackageArchive::Entry> &entries)
{
    auto bytes = PackageArchive::write(entries);
    EXPECT_TRUE(bytes) << bytes.error().toStdString();
    auto archive = PackageArchive::read(*bytes, QStringLiteral("p.mlwbpkg"));
    EXPECT_TRUE(archive) << archive.error().toStdString();
    return *archive;
}

std::vector<PackageArchive::Entry> replaced(std::vector<PackageArchive::Entry> entries, const QString &name,
                                            const QByteArray &data)
{
    for (auto &e : entries) {
        if (e.name == name)
            e.data = data;
    }
    return entries;
}

class PackageSealTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto k = SigningKey::generate(QStringLiteral("alice@host"));
        ASSERT_TRUE(k);
        key.emplace(*k);
        auto s = PackageSeal::seal(content(), &*key);
        ASSERT_TRUE(s) << s.error().toStdString();
        sealed = *s;
    }
    Result<PackageSeal::Verified> check(const std::vector<PackageArchive::Entry> &entries, bool require = true)
    {
        return PackageSeal::verify(reread(entries), {key->publicKey()}, require, QStringLiteral("p.mlwbpkg"));
    }
    std::optional<SigningKey> key;
    std::vector<PackageArchive::Entry> sealed;
};

} // namespace

TEST_F(PackageSealTest, ASealedPackageVerifiesAndNamesItsSigner)
{
    ASSERT_EQ(sealed.size(), 5u);
    EXPECT_EQ(sealed[3].name, QStringLiteral("hashes.json"));
    EXPECT_EQ(sealed[4].name, QStringLiteral("signature.json"));
    const QJsonObject hashes = QJsonDocument::fromJson(sealed[3].data).object();
    // sha256 of 4096 'w' bytes, from `python3 -c "import hashlib;print(hashlib.sha256(b'w'*4096).hexdigest())"`.
    EXPECT_EQ(hashes[QStringLiteral("entries")].toObject()[QStringLiteral("model.pt")].toString(),
              QStringLiteral("7b962f03e77f96fa63cc31c4a1b7f1f6e0e977abb65a19e51d93fe5b74907213"));
    auto verified = check(sealed);
    ASSERT_TRUE(verified) << verified.error().toStdString();
    EXPECT_TRUE(verified->isSigned);
    EXPECT_EQ(verified->keyId, key->publicKey().id());
    EXPECT_EQ(verified->signer, QStringLiteral("alice@host"));
}

TEST_F(PackageSealTest, AChangedByteInAnyEntryIsRefusedNamingIt)
{
    QByteArray model(4096, 'w');
    model[100] = 'x';
    auto m = check(replaced(sealed, QStringLiteral("model.pt"), model));
    ASSERT_FALSE(m);
    EXPECT_EQ(m.kind(), ErrorKind::Corrupt);
    EXPECT_TRUE(m.error().contains(QStringLiteral("entry \"model.pt\" was changed"))) << m.error().toStdString();
    auto manifest = check(replaced(sealed, QStringLiteral("manifest.json"), "{\"name\": \"digitz\", \"version\": \"1.0.0\"}"));
    ASSERT_FALSE(manifest);
    EXPECT_TRUE(manifest.error().contains(QStringLiteral("entry \"manifest.json\" was changed"))) << manifest.error().toStdString();
}

TEST_F(PackageSealTest, ChangedHashesNeedANewSignatureWhichOnlyTheKeyCanMake)
{
    // The attacker changes model.pt and writes matching hashes, but cannot sign them.
    auto forged = replaced(content(), QStringLiteral("model.pt"), QByteArray(4096, 'e'));
    auto entries = replaced(sealed, QStringLiteral("model.pt"), QByteArray(4096, 'e'));
    entries = replaced(entries, QStringLiteral("hashes.json"), PackageSeal::hashes(forged));
    auto r = check(entries);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().contains(QStringLiteral("the signature in signature.json does not match hashes.json"))) << r.error().toStdString();

    // Re-signed with a foreign key: the seal holds, the key is not trusted.
    auto mallory = SigningKey::generate(QStringLiteral("mallory@host"));
    ASSERT_TRUE(mallory);
    auto resealed = PackageSeal::seal(forged, &*mallory);
    ASSERT_TRUE(resealed);
    auto foreign = check(*resealed);
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.kind(), ErrorKind::Unauthorized);
    EXPECT_TRUE(foreign.error().contains(QStringLiteral("mallory@host"))) << foreign.error().toStdString();
    EXPECT_TRUE(foreign.error().contains(QStringLiteral("not trusted"))) << foreign.error().toStdString();
}

TEST_F(PackageSealTest, AddedRemovedAndUnsignedAreEachNamed)
{
    auto added = sealed;
    added.push_back({QStringLiteral("extra.so"), "payload"});
    auto a = check(added);
    ASSERT_FALSE(a);
    EXPECT_TRUE(a.error().contains(QStringLiteral("entry \"extra.so\" is not in hashes.json"))) << a.error().toStdString();

    std::vector<PackageArchive::Entry> removed;
    for (const auto &e : sealed) {
        if (e.name != u"baseline.json")
            removed.push_back(e);
    }
    auto r = check(removed);
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().contains(QStringLiteral("entry \"baseline.json\" is listed in hashes.json but missing"))) << r.error().toStdString();

    auto unsignedSeal = PackageSeal::seal(content(), nullptr);
    ASSERT_TRUE(unsignedSeal);
    auto required = check(*unsignedSeal, true);
    ASSERT_FALSE(required);
    EXPECT_EQ(required.kind(), ErrorKind::Unauthorized);
    EXPECT_TRUE(required.error().contains(QStringLiteral("is not signed"))) << required.error().toStdString();
    auto optional = check(*unsignedSeal, false);
    ASSERT_TRUE(optional) << optional.error().toStdString();
    EXPECT_FALSE(optional->isSigned);

    auto noHashes = PackageSeal::verify(reread(content()), {}, false, QStringLiteral("p.mlwbpkg"));
    ASSERT_FALSE(noHashes);
    EXPECT_TRUE(noHashes.error().contains(QStringLiteral("has no hashes.json"))) << noHashes.error().toStdString();

    auto newer = check(replaced(sealed, QStringLiteral("hashes.json"), "{\"format\": 2}"));
    ASSERT_FALSE(newer);
    EXPECT_TRUE(newer.error().contains(QStringLiteral("format 2; this mlwb reads format 1"))) << newer.error().toStdString();
    EXPECT_FALSE(PackageSeal::seal({{QStringLiteral("hashes.json"), "x"}}, nullptr));
}
