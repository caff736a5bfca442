/* nansen/common.h - export and attribute macros shared by every header.
 *
 * Copyright 2026 The Nansen Authors. SPDX-License-Identifier: Apache-2.0
 */
#ifndef NANSEN_COMMON_H
#define NANSEN_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* NANSEN_API marks the functions libnansen exports; everything else in the
 * shared library is hidden. NANSEN_STATIC is defined by nansen.pc and the
 * CMake package when linking the static library. */
#if defined(_WIN32) && !defined(NANSEN_STATIC)
#  ifdef NANSEN_BUILD
#    define NANSEN_API __declspec(dllexport)
#  else
#    define NANSEN_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define NANSEN_API __attribute__((visibility("default")))
#else
#  define NANSEN_API
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define NANSEN_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#else
#  define NANSEN_WARN_UNUSED_RESULT
#endif

/* Inside lib/ the non-null hints are dropped so that the ARG_CHECK guards
 * are not optimised away: a NULL from a careless caller gets
 * NANSEN_ERR_INVALID_ARG, never a crash. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(NANSEN_BUILD)
#  define NANSEN_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#else
#  define NANSEN_NONNULL(...)
#endif

#ifdef __cplusplus
}
#endif

#endif /* NANSEN_COMMON_H */
