// CAvesaHTTP: exposes the Linux headers the Glibc Swift module leaves out (epoll, eventfd)
// to the HTTP server in AvesaHost. Header only: no .c file, no symbols of its own.
#ifndef CAVESA_HTTP_H
#define CAVESA_HTTP_H

#include <sys/epoll.h>
#include <sys/eventfd.h>

#endif
