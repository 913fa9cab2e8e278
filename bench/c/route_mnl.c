// Baseline route dump, decoded, with libmnl: one AF_UNSPEC RTM_GETROUTE dump (every family and
// table) per round, a 1 MiB receive buffer, mnl_cb_run with mnl_attr_parse reading each
// route's dst, gateway, oif, table and priority. Usage: route_mnl ROUNDS. Prints one JSON
// line {"peer","messages","elapsed":[s...],"maxRssKiB"}; each round's clock runs from before
// the socket is opened to NLMSG_DONE.
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

struct route {
  const void *dst, *gateway;
  uint32_t oif, table, priority;
};

static long routes;
static unsigned long check;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int on_attr(const struct nlattr *a, void *data) {
  struct route *r = data;
  switch (mnl_attr_get_type(a)) {
  case RTA_DST: r->dst = mnl_attr_get_payload(a); break;
  case RTA_GATEWAY: r->gateway = mnl_attr_get_payload(a); break;
  case RTA_OIF: if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) r->oif = mnl_attr_get_u32(a); break;
  case RTA_TABLE: if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) r->table = mnl_attr_get_u32(a); break;
  case RTA_PRIORITY: if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) r->priority = mnl_attr_get_u32(a); break;
  }
  return MNL_CB_OK;
}

static int on_route(const struct nlmsghdr *h, void *data) {
  (void)data;
  const struct rtmsg *rm = mnl_nlmsg_get_payload(h);
  struct route r = {.table = rm->rtm_table};
  mnl_attr_parse(h, sizeof *rm, on_attr, &r);
  routes++;
  if (r.dst) check += *(const unsigned char *)r.dst;
  if (r.gateway) check += *(const unsigned char *)r.gateway;
  check += r.oif + r.table + r.priority;
  return MNL_CB_OK;
}

static long dump(void) {
  static char buf[1 << 20];
  struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
  if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) { perror("mnl_socket"); exit(1); }
  struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
  h->nlmsg_type = RTM_GETROUTE;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  h->nlmsg_seq = 1;
  struct rtmsg *rm = mnl_nlmsg_put_extra_header(h, sizeof *rm);
  rm->rtm_family = AF_UNSPEC;
  unsigned portid = mnl_socket_get_portid(nl);
  if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0) { perror("mnl_socket_sendto"); exit(1); }
  routes = 0;
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
    if (n < 0) { perror("mnl_socket_recvfrom"); exit(1); }
    int r = mnl_cb_run(buf, n, 1, portid, on_route, NULL);
    if (r == MNL_CB_STOP) break;
    if (r < 0) { perror("mnl_cb_run"); exit(1); }
  }
  mnl_socket_close(nl);
  return routes;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1;
  long messages = 0;
  printf("{\"peer\":\"c-libmnl\",\"elapsed\":[");
  for (int i = 0; i < rounds; i++) {
    double t0 = now();
    messages = dump();
    printf("%s%.6f", i ? "," : "", now() - t0);
  }
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  printf("],\"messages\":%ld,\"maxRssKiB\":%ld,\"check\":%lu}\n", messages, u.ru_maxrss, check);
  return 0;
}
