// The step runner's main (dream::cucumber_main), as cucumber-cpp's main library provides one:
// link it with your step definitions and a driver.
#include "dream/cucumber/wire_server.hpp"

int main(int argc, char** argv) {
  return dream::cucumber::run_step_runner(argc, argv);
}
