#include "marquee_rankers.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*lapack_routine)(const char *uplo, const int *n, double *a, const int *lda, int *info);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static lapack_routine potrf, potri;
static char error[512];

static void load(void) {
    if (!getenv("OPENBLAS_CORETYPE")) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
            __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
            setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
            setenv("OPENBLAS_CORETYPE", "Haswell", 0);
    }
    const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !library; i++)
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, sizeof error, "%s", dlerror());
        return;
    }
    potrf = (lapack_routine)dlsym(library, "dpotrf_");
    potri = (lapack_routine)dlsym(library, "dpotri_");
    if (!potrf || !potri) snprintf(error, sizeof error, "OpenBLAS has no dpotrf_/dpotri_ (built without LAPACK?)");
}

int marquee_cholesky_inverse(double *a, int n) {
    pthread_once(&once, load);
    if (!potrf || !potri) return -1000;
    char uplo = 'L';
    int info = 0;
    potrf(&uplo, &n, a, &n, &info);
    if (info == 0) potri(&uplo, &n, a, &n, &info);
    return info;
}

const char *marquee_lapack_error(void) {
    pthread_once(&once, load);
    return error;
}
