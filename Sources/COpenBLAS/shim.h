#ifndef SONGATLAS_COPENBLAS_SHIM_H
#define SONGATLAS_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface (Debian libopenblas-dev). Only the Features
// target imports this module, for the musicnn network's matrix products.
#include <cblas.h>
// Declared by OpenBLAS's cblas.h; repeated here so that a reference CBLAS
// header that lacks them is caught at compile time rather than at link time.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
#endif
