#include "stream_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace test_support {

StreamClient::StreamClient(std::uint16_t port, int rcvbuf) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) {
    throw std::runtime_error("socket failed");
  }
  if (rcvbuf > 0) {
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  }
  timeval timeout{10, 0};  // every wait bounded
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect failed");
  }
}

StreamClient::~StreamClient() {
  ::close(fd_);
}

void StreamClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent <= 0) {
      throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

std::size_t StreamClient::fill() {
  char data[64 * 1024];
  const auto got = ::recv(fd_, data, sizeof data, 0);
  if (got < 0) {
    if (errno == ECONNRESET) {
      return 0;
    }
    throw std::runtime_error(std::string("recv failed: ") + std::strerror(errno));
  }
  buffer_.append(data, static_cast<std::size_t>(got));
  return static_cast<std::size_t>(got);
}

std::string StreamClient::line() {
  std::size_t end;
  while ((end = buffer_.find("\r\n")) == std::string::npos) {
    if (fill() == 0) {
      throw std::runtime_error("end of stream inside a line");
    }
  }
  auto text = buffer_.substr(0, end);
  buffer_.erase(0, end + 2);
  return text;
}

std::string StreamClient::read_head() {
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (fill() == 0) {
      throw std::runtime_error("end of stream inside the head");
    }
  }
  auto head = buffer_.substr(0, end + 4);
  buffer_.erase(0, end + 4);
  return head;
}

bool StreamClient::read_chunked(const std::function<void(std::string_view)>& on_data) {
  try {
    for (;;) {
      const auto size = std::stoul(line(), nullptr, 16);
      if (size == 0) {
        line();  // no trailers: the blank line
        return true;
      }
      std::size_t left = size;
      while (left > 0) {
        if (buffer_.empty() && fill() == 0) {
          return false;
        }
        const auto take = std::min(left, buffer_.size());
        on_data(std::string_view(buffer_).substr(0, take));
        buffer_.erase(0, take);
        left -= take;
      }
      if (line() != "") {
        throw std::runtime_error("chunk not followed by CRLF");
      }
    }
  } catch (const std::runtime_error& e) {
    if (std::string(e.what()).starts_with("end of stream")) {
      return false;
    }
    throw;
  }
}

std::string StreamClient::read_exact(std::size_t n) {
  while (buffer_.size() < n) {
    if (fill() == 0) {
      throw std::runtime_error("end of stream inside a body");
    }
  }
  auto body = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return body;
}

bool StreamClient::closed_by_server() {
  return buffer_.empty() && fill() == 0;
}

std::string head_field(const std::string& head, std::string_view name) {
  std::size_t start = head.find("\r\n");
  while (start != std::string::npos && start + 2 < head.size()) {
    const auto end = head.find("\r\n", start + 2);
    const auto field = head.substr(start + 2, end - start - 2);
    const auto colon = field.find(':');
    if (colon == name.size() &&
        std::equal(name.begin(), name.end(), field.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      auto value = field.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      return value;
    }
    start = end;
  }
  return {};
}

}  // namespace test_support
