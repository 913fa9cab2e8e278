// Runs a command and reports what it cost as a whole process: wall time from fork() to its
// exit, and its user and system CPU and peak RSS from wait4(). Usage: rusage CMD ARGS...
// The command's stdout and stderr pass through; the figures go to fd 3 (which the caller
// opens) as one JSON line {"status","wall","user","sys","maxRssKiB"}.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rusage CMD ARGS...\n");
    return 2;
  }
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 1; }
  if (pid == 0) {
    close(3);
    execvp(argv[1], argv + 1);
    perror("execvp");
    _exit(127);
  }
  int status;
  struct rusage u;
  if (wait4(pid, &status, 0, &u) < 0) { perror("wait4"); return 1; }
  double wall = now() - t0;
  dprintf(3, "{\"status\":%d,\"wall\":%.6f,\"user\":%.6f,\"sys\":%.6f,\"maxRssKiB\":%ld}\n",
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), wall,
          u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6, u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6,
          u.ru_maxrss);
  return 0;
}
