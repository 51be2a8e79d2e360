/* Compiler attributes the hot paths use, empty where the compiler has no
 * GNU attributes. */
#ifndef RB_ATTRIBUTES_H
#define RB_ATTRIBUTES_H

#if defined(__GNUC__)
/* A function kept out of line, so that its callers' common paths call
 * nothing but in tail position and save no registers. */
#define RB_NOINLINE __attribute__((noinline))
/* A function inlined into each caller, even a large one. */
#define RB_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define RB_NOINLINE
#define RB_ALWAYS_INLINE inline
#endif

#endif
