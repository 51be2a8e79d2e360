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

/* The interpreters of fastpath.c and lazy.c jump from each instruction to
 * the next one's code (labels as values) with GCC and Clang, and run a
 * switch otherwise; -DRB_THREADED=0 builds the switch with them too (the
 * CI tests it). Their tables of labels sit between RB_LABELS_BEGIN and
 * RB_LABELS_END, which allow the extension under -Wpedantic and a
 * table's default entries overridden. */
#ifndef RB_THREADED
#if defined(__GNUC__)
#define RB_THREADED 1
#else
#define RB_THREADED 0
#endif
#endif
#if RB_THREADED && defined(__clang__)
#define RB_LABELS_BEGIN                                                   \
	_Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wpedantic\"") \
		_Pragma("GCC diagnostic ignored \"-Winitializer-overrides\"")
#define RB_LABELS_END _Pragma("GCC diagnostic pop")
#elif RB_THREADED
#define RB_LABELS_BEGIN                                                   \
	_Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wpedantic\"") \
		_Pragma("GCC diagnostic ignored \"-Woverride-init\"")
#define RB_LABELS_END _Pragma("GCC diagnostic pop")
#else
#define RB_LABELS_BEGIN
#define RB_LABELS_END
#endif

#endif
