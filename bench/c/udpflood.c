// Traffic generator for the netfilter benchmarks: sends COUNT UDP datagrams of SIZE bytes to
// ADDR:PORT as fast as sendmmsg allows. Prints "sent <n> <seconds>".
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: udpflood ADDR PORT COUNT SIZE\n");
    return 2;
  }
  long count = atol(argv[3]);
  int size = atoi(argv[4]);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  // Queued packets (NFQUEUE) still count against the sender's send buffer until their
  // verdict: a large one lets the generator run ahead of the receiver.
  int sndbuf = 256 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
  struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2]))};
  inet_pton(AF_INET, argv[1], &dst.sin_addr);
  // Not connected: a connected socket would get ECONNREFUSED from the port-unreachable
  // replies when nothing listens on PORT; the address goes in each message instead.
  enum { BATCH = 64 };
  static char payload[BATCH][2048];
  struct iovec iov[BATCH];
  struct mmsghdr msgs[BATCH];
  memset(msgs, 0, sizeof msgs);
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = payload[i];
    iov[i].iov_len = size;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &dst;
    msgs[i].msg_hdr.msg_namelen = sizeof dst;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long sent = 0;
  while (sent < count) {
    int n = count - sent < BATCH ? (int)(count - sent) : BATCH;
    for (int i = 0; i < n; i++) {
      long seq = sent + i;
      memcpy(payload[i], &seq, sizeof seq);
    }
    int r = sendmmsg(fd, msgs, n, 0);
    if (r < 0) {
      perror("sendmmsg");
      return 1;
    }
    sent += r;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("sent %ld %.6f\n", sent, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  return 0;
}
