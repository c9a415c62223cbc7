#pragma once

#include <string>

namespace test_support {

/// A self-signed certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1, an EC P-256 key),
/// made by the `openssl` command in a fresh temporary directory, which the destructor removes.
/// Throws std::runtime_error if it cannot be made.
class SelfSignedCertificate {
 public:
  SelfSignedCertificate();
  ~SelfSignedCertificate();
  SelfSignedCertificate(const SelfSignedCertificate&) = delete;
  SelfSignedCertificate& operator=(const SelfSignedCertificate&) = delete;

  /// The PEM certificate: the server's, and the only one its clients trust.
  const std::string& certificate_file() const noexcept { return certificate_; }
  /// The PEM private key, unencrypted.
  const std::string& key_file() const noexcept { return key_; }
  /// The directory both are in (a test may put files of its own there).
  const std::string& directory() const noexcept { return directory_; }

 private:
  std::string directory_;
  std::string certificate_;
  std::string key_;
};

}  // namespace test_support
