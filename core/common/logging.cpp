// SPDX-License-Identifier: MIT
#include "common/logging.h"

Q_LOGGING_CATEGORY(lcStore, "mlwb.store")
Q_LOGGING_CATEGORY(lcData, "mlwb.data")
Q_LOGGING_CATEGORY(lcModel, "mlwb.model")
Q_LOGGING_CATEGORY(lcTrain, "mlwb.train")
Q_LOGGING_CATEGORY(lcEval, "mlwb.eval")
Q_LOGGING_CATEGORY(lcJobs, "mlwb.jobs")
Q_LOGGING_CATEGORY(lcDeploy, "mlwb.deploy")
Q_LOGGING_CATEGORY(lcServe, "mlwb.serve")
