// Paced traffic for the wake-up benchmark: sends COUNT UDP datagrams of 64 bytes to
// ADDR:PORT, one every INTERVAL_US microseconds (absolute deadlines, so the pace does not
// drift). Prints "sent <n> <seconds>".
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: paced ADDR PORT COUNT INTERVAL_US\n");
    return 2;
  }
  long count = atol(argv[3]);
  long interval = atol(argv[4]);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
  inet_pton(AF_INET, argv[1], &dst.sin_addr);
  char payload[64] = {0};
  struct timespec t0, t1, next;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  next = t0;
  long sent = 0;
  for (; sent < count; sent++) {
    next.tv_nsec += interval * 1000;
    while (next.tv_nsec >= 1000000000) {
      next.tv_nsec -= 1000000000;
      next.tv_sec++;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    if (sendto(fd, payload, sizeof payload, 0, (struct sockaddr *)&dst, sizeof dst) < 0) {
      perror("sendto");
      return 1;
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("sent %ld %f\n", sent, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
