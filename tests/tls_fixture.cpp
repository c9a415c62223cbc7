#include "tls_fixture.hpp"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace test_support {

namespace {

// Runs `argv` (no shell, so no quoting) with its output discarded; its exit status.
int run(std::vector<std::string> argv) {
  std::vector<char*> args;
  for (auto& arg : argv) {
    args.push_back(arg.data());
  }
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    return -1;
  }
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec (this process may have threads).
    ::close(STDOUT_FILENO);
    ::close(STDERR_FILENO);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

SelfSignedCertificate::SelfSignedCertificate() {
  std::string pattern = (std::filesystem::temp_directory_path() / "dream-tls-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot make a temporary directory for the test certificate");
  }
  directory_ = pattern;
  certificate_ = directory_ + "/cert.pem";
  key_ = directory_ + "/key.pem";
  // The client checks the name it connected to (127.0.0.1) against subjectAltName.
  const int status =
      run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
           "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
           "subjectAltName=IP:127.0.0.1", "-keyout", key_, "-out", certificate_});
  if (status != 0) {
    std::filesystem::remove_all(directory_);
    throw std::runtime_error("openssl req could not make a self-signed certificate (status " +
                             std::to_string(status) + ")");
  }
}

SelfSignedCertificate::~SelfSignedCertificate() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

}  // namespace test_support
