// Baseline route dump, the message stream: one AF_UNSPEC RTM_GETROUTE dump (every family and
// table) per round over a plain NETLINK_ROUTE socket, a blocking recv() loop on a 32 KiB
// buffer walking the message headers and counting RTM_NEWROUTE until NLMSG_DONE. Usage:
// route_raw ROUNDS. Prints one JSON line {"peer","messages","elapsed":[s...],"maxRssKiB"};
// each round's clock runs from before socket() to NLMSG_DONE.
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static long dump(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) { perror("socket"); exit(1); }
  struct { struct nlmsghdr h; struct rtmsg r; } req;
  memset(&req, 0, sizeof req);
  req.h.nlmsg_len = sizeof req;
  req.h.nlmsg_type = RTM_GETROUTE;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.h.nlmsg_seq = 1;
  req.r.rtm_family = AF_UNSPEC;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) { perror("sendto"); exit(1); }
  static char buf[32768] __attribute__((aligned(4)));
  long routes = 0;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) { perror("recv"); exit(1); }
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) { close(fd); return routes; }
      if (h->nlmsg_type == NLMSG_ERROR) { fprintf(stderr, "route_raw: NLMSG_ERROR\n"); exit(1); }
      if (h->nlmsg_type == RTM_NEWROUTE) routes++;
    }
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1;
  long messages = 0;
  printf("{\"peer\":\"c-raw\",\"elapsed\":[");
  for (int i = 0; i < rounds; i++) {
    double t0 = now();
    messages = dump();
    printf("%s%.6f", i ? "," : "", now() - t0);
  }
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  printf("],\"messages\":%ld,\"maxRssKiB\":%ld}\n", messages, u.ru_maxrss);
  return 0;
}
