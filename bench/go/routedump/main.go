// Baseline route dump with mdlayher/netlink: one AF_UNSPEC RTM_GETROUTE dump (every family
// and table) per round, through Conn.Execute, each route's dst, gateway, oif, table and
// priority read with an AttributeDecoder. Usage: routedump ROUNDS. Prints one JSON line:
// {"peer","messages","elapsed":[seconds of each round],"maxRssKiB"}. Each round's clock runs
// from before the socket is opened (Dial) to the end of the dump.
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
)

const (
	rtmGetRoute  = 26
	rtmNewRoute  = 24
	rtaDst       = 1
	rtaOif       = 4
	rtaGateway   = 5
	rtaPriority  = 6
	rtaTable     = 15
	netlinkRoute = 0
)

type route struct {
	family   uint8
	dstLen   uint8
	dst      []byte
	gateway  []byte
	oif      uint32
	table    uint32
	priority uint32
}

func dump() (int, uint64, error) {
	conn, err := netlink.Dial(netlinkRoute, nil)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	// struct rtmsg, all zero: rtm_family AF_UNSPEC.
	req := netlink.Message{
		Header: netlink.Header{
			Type:  rtmGetRoute,
			Flags: netlink.Request | netlink.Dump,
		},
		Data: make([]byte, 12),
	}
	msgs, err := conn.Execute(req)
	if err != nil {
		return 0, 0, err
	}
	var sum uint64
	n := 0
	for _, m := range msgs {
		if m.Header.Type != rtmNewRoute || len(m.Data) < 12 {
			continue
		}
		r := route{family: m.Data[0], dstLen: m.Data[1], table: uint32(m.Data[4])}
		ad, err := netlink.NewAttributeDecoder(m.Data[12:])
		if err != nil {
			return 0, 0, err
		}
		for ad.Next() {
			switch ad.Type() {
			case rtaDst:
				r.dst = ad.Bytes()
			case rtaGateway:
				r.gateway = ad.Bytes()
			case rtaOif:
				r.oif = ad.Uint32()
			case rtaTable:
				r.table = ad.Uint32()
			case rtaPriority:
				r.priority = ad.Uint32()
			}
		}
		if err := ad.Err(); err != nil {
			return 0, 0, err
		}
		n++
		if len(r.dst) >= 4 {
			sum += uint64(binary.BigEndian.Uint32(r.dst))
		}
		if len(r.gateway) >= 4 {
			sum += uint64(r.gateway[3])
		}
		sum += uint64(r.oif) + uint64(r.table) + uint64(r.priority) + uint64(r.family) + uint64(r.dstLen)
	}
	return n, sum, nil
}

func main() {
	rounds := 1
	if len(os.Args) > 1 {
		rounds, _ = strconv.Atoi(os.Args[1])
	}
	elapsed := make([]string, 0, rounds)
	messages := 0
	var sum uint64
	for i := 0; i < rounds; i++ {
		t0 := time.Now()
		n, s, err := dump()
		if err != nil {
			fmt.Fprintln(os.Stderr, "routedump:", err)
			os.Exit(1)
		}
		elapsed = append(elapsed, strconv.FormatFloat(time.Since(t0).Seconds(), 'f', 6, 64))
		messages = n
		sum += s
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("{\"peer\":\"go-mdlayher\",\"messages\":%d,\"elapsed\":[%s],\"maxRssKiB\":%d,\"check\":%d}\n",
		messages, strings.Join(elapsed, ","), ru.Maxrss, sum)
}
