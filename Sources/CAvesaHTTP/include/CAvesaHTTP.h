// CAvesaHTTP: exposes the Linux headers the Glibc Swift module leaves out to AvesaHost:
// epoll and eventfd (the HTTP server) and malloc.h's mallopt (MallocTuning, for the
// connector engine's large response bodies). Header only: no .c file, no symbols of its own.
#ifndef CAVESA_HTTP_H
#define CAVESA_HTTP_H

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <malloc.h>

#endif
