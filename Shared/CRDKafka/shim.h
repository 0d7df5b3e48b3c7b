#ifndef RELANCE_CRDKAFKA_SHIM_H
#define RELANCE_CRDKAFKA_SHIM_H
// librdkafka's C API. Only Messaging's `KafkaClient` calls into it; see Shared/Messaging.
#include <librdkafka/rdkafka.h>
#endif
