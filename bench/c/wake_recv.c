// Baseline of the wake-up benchmark: binds UDP 127.0.0.1:PORT, prints "ready", then sleeps in
// poll() until a datagram arrives and reads what is there (recv until EAGAIN), until
// EXPECTED arrived or IDLE_MS passed without one after the first. Prints "received <n>
// cpu_ns <ns> seconds <s> wakes <w>" (CPU of the process from ready to the end, getrusage).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

static double cpu_ns(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e9 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e3;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: wake_recv PORT EXPECTED IDLE_MS\n");
    return 2;
  }
  long expected = atol(argv[2]);
  int idle = atoi(argv[3]);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
  inet_pton(AF_INET, "127.0.0.1", &me.sin_addr);
  if (bind(fd, (struct sockaddr *)&me, sizeof me) < 0) {
    perror("bind");
    return 1;
  }
  printf("ready\n");
  fflush(stdout);
  double c0 = cpu_ns();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long received = 0, wakes = 0;
  char buffer[2048];
  while (received < expected) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, received > 0 ? idle : 60000) <= 0) break;
    wakes++;
    while (recv(fd, buffer, sizeof buffer, MSG_DONTWAIT) >= 0) received++;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("received %ld cpu_ns %.0f seconds %f wakes %ld\n", received, cpu_ns() - c0,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, wakes);
  return 0;
}
