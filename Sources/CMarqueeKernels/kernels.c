// The kernels are static inline functions in include/marquee_kernels.h; SwiftPM needs one source file.
#include "marquee_kernels.h"
