/* Umbrella header: the whole clipdex C ABI. */
#ifndef CLIPDEX_CLIPDEX_H
#define CLIPDEX_CLIPDEX_H
#include "abi.h"
#include "interfaces/auth.h"
#include "interfaces/command.h"
#include "interfaces/embedder.h"
#include "interfaces/search.h"
#include "interfaces/step.h"
#include "services/catalog.h"
#include "services/config.h"
#include "services/dispatch.h"
#include "services/log.h"
#include "services/progress.h"
#include "services/registry.h"
#endif
