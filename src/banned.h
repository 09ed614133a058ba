/*
 * banned.h - functions that must not be used in cloudtally code (git's
 * banned.h). Included last by ct.h, after the system headers.
 */
#ifndef CT_BANNED_H
#define CT_BANNED_H
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC poison sprintf vsprintf strcpy strcat gets strtok
#pragma GCC poison gmtime localtime ctime asctime
#pragma GCC poison atoi atol atof
#endif
#endif
