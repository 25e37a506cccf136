// PiMutex: pthread mutex with PTHREAD_PRIO_INHERIT; failures are programming errors.
#include "cashbridge/bridge/pi_mutex.hpp"

#include <system_error>

namespace cashbridge::bridge {
namespace {

void check(int err, const char* what) {
    if (err != 0) throw std::system_error(err, std::generic_category(), what);
}

}  // namespace

PiMutex::PiMutex() {
    pthread_mutexattr_t attr;
    check(pthread_mutexattr_init(&attr), "pthread_mutexattr_init");
    const int err = pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
    if (err == 0) check(pthread_mutex_init(&mutex_, &attr), "pthread_mutex_init");
    pthread_mutexattr_destroy(&attr);
    check(err, "pthread_mutexattr_setprotocol(PTHREAD_PRIO_INHERIT)");
}

PiMutex::~PiMutex() {
    pthread_mutex_destroy(&mutex_);
}

void PiMutex::lock() {
    check(pthread_mutex_lock(&mutex_), "pthread_mutex_lock");
}

bool PiMutex::try_lock() {
    return pthread_mutex_trylock(&mutex_) == 0;
}

void PiMutex::unlock() {
    pthread_mutex_unlock(&mutex_);
}

}  // namespace cashbridge::bridge
