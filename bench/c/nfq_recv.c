// Baseline NFQUEUE receiver with libnetfilter_queue: binds QUEUE, accepts every packet with
// one verdict per packet ("single") or one nfq_set_verdict_batch() per 32 packets ("batch",
// the last partial batch flushed at the end or after 10 ms of silence), reading with
// recv(MSG_DONTWAIT) while data is queued and poll()ing only when the socket is empty,
// until EXPECTED packets or IDLE_MS of silence. After "ready" it sleeps PREFILL_MS, so the
// generator can fill the queue first and the figure is the receiver's own rate. Prints
// "received <n> cpu_ns <ns> seconds <s> verdict_calls <n>" (CPU and time from the end of the sleep to the last verdict).
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <libnfnetlink/libnfnetlink.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long received;
static int batch;
static uint32_t last_id;
static int pending;
static long verdict_calls;
enum { BATCH = 32 };

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *nfmsg, struct nfq_data *nfa, void *data) {
  (void)nfmsg; (void)data;
  struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
  uint32_t id = ph ? ntohl(ph->packet_id) : 0;
  received++;
  if (batch) {
    last_id = id;
    if (++pending == BATCH) {
      pending = 0;
      verdict_calls++;
      return nfq_set_verdict_batch(qh, last_id, NF_ACCEPT);
    }
    return 0;
  }
  verdict_calls++;
  return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
}

static double cpu_ns(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e9 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e3;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: nfq_recv QUEUE EXPECTED single|batch IDLE_MS PREFILL_MS\n");
    return 2;
  }
  int queue = atoi(argv[1]);
  long expected = atol(argv[2]);
  batch = strcmp(argv[3], "batch") == 0;
  int idle = atoi(argv[4]);
  int prefill = atoi(argv[5]);
  struct nfq_handle *h = nfq_open();
  if (!h) { perror("nfq_open"); return 1; }
  nfq_unbind_pf(h, AF_INET);
  nfq_bind_pf(h, AF_INET);
  struct nfq_q_handle *qh = nfq_create_queue(h, queue, &on_packet, NULL);
  if (!qh) { perror("nfq_create_queue"); return 1; }
  nfq_set_mode(qh, NFQNL_COPY_PACKET, 0xffff);
  nfq_set_queue_maxlen(qh, expected + 1024);
  nfnl_rcvbufsiz(nfq_nfnlh(h), 256 << 20);
  int fd = nfq_fd(h);
  static char buf[1 << 17];
  printf("ready\n");
  fflush(stdout);
  usleep(prefill * 1000);
  double c0 = cpu_ns();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int started = 0;
  while (received < expected) {
    // Read while the socket has data (as a plain recv() loop does); poll only when it would
    // block, for the idle end and the batch's 10 ms flush: no poll() per packet.
    int n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) continue;
      struct pollfd p = {.fd = fd, .events = POLLIN};
      int r = poll(&p, 1, pending ? 10 : started ? idle : 60000);
      if (r == 0) {
        if (!pending) break;
        verdict_calls++;
        nfq_set_verdict_batch(qh, last_id, NF_ACCEPT);
        pending = 0;
      }
      continue;
    }
    started = 1;
    nfq_handle_packet(h, buf, n);
  }
  if (pending) {
    verdict_calls++;
    nfq_set_verdict_batch(qh, last_id, NF_ACCEPT);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double c1 = cpu_ns();
  printf("received %ld cpu_ns %.0f seconds %.6f verdict_calls %ld\n", received, c1 - c0,
         (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, verdict_calls);
  nfq_destroy_queue(qh);
  nfq_close(h);
  return 0;
}
