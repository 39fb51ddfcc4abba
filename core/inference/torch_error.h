// SPDX-License-Identifier: MIT
#pragma once

// Turns an exception thrown by libtorch into a message fit for a user: no C++ backtrace, and for
// a failure inside a TorchScript interpreter only the final error line (which names the shapes).

#include <QString>

#include <exception>

namespace mlwb {

QString torchErrorMessage(const std::exception &e);

} // namespace mlwb
