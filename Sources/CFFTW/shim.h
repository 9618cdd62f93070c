#ifndef SONGATLAS_CFFTW_SHIM_H
#define SONGATLAS_CFFTW_SHIM_H
#include <fftw3.h>
#endif
