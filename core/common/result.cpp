// SPDX-License-Identifier: MIT
#include "common/result.h"

namespace mlwb {

const char *errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Internal: return "internal";
    case ErrorKind::InvalidInput: return "invalid input";
    case ErrorKind::NotFound: return "not found";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::Unauthorized: return "unauthorized";
    case ErrorKind::Corrupt: return "corrupt";
    case ErrorKind::Io: return "i/o";
    case ErrorKind::Cancelled: return "cancelled";
    }
    return "internal";
}

int httpStatus(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::InvalidInput: return 400;
    case ErrorKind::Unauthorized: return 401;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::Corrupt: return 422; // the upload is well-formed but its content is refused
    case ErrorKind::Cancelled: return 503;
    case ErrorKind::Io:
    case ErrorKind::Internal: return 500;
    }
    return 500;
}

} // namespace mlwb
