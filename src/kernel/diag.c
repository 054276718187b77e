/* diag.c - INET_DIAG request building and reply parsing (uapi inet_diag.h,
 * sock_diag.h; kernel net/ipv4/inet_diag.c inet_sk_diag_fill). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "diag.h"

const char *const diag_mem_name[DM_COUNT] = {
	"rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc", "wmem_queued",
	"optmem", "backlog", "drops",
};

const struct diag_dump_def diag_dumps[DD_COUNT] = {
	[DD_TCP] = { "tcp", "TCP", DP_TCP, IPPROTO_TCP, false },
	[DD_UDP] = { "udp", "UDP", DP_UDP, IPPROTO_UDP, false },
	[DD_MPTCP] = { "mptcp", "MPTCP", DP_TCP, IPPROTO_MPTCP, true },
	[DD_UDPLITE] = { "udplite", "UDP-Lite", DP_UDP, IPPROTO_UDPLITE, true },
};

enum diag_dump diag_sharing_dump(enum diag_proto p)
{
	return p == DP_TCP ? DD_MPTCP : DD_UDPLITE;
}

const char *diag_proto_name(enum diag_proto p)
{
	return p == DP_TCP ? "tcp" : "udp";
}

const char *diag_proto_label(enum diag_proto p)
{
	return p == DP_TCP ? "TCP" : "UDP";
}

const char *diag_state_name(enum diag_proto proto, unsigned state)
{
	static const char *const names[DIAG_NSTATES] = {
		"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
		"NEW-SYN-RECV", "BOUND-INACTIVE",
	};

	if (proto == DP_TCP && state == 7)
		return "CLOSE";
	return state < DIAG_NSTATES ? names[state] : "UNKNOWN";
}

struct nlmsghdr *diag_build_dump_request(void *buf, int family, enum diag_dump dump, bool want_info,
					 uint32_t tcp_states)
{
	const struct diag_dump_def *d = &diag_dumps[dump];
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *r;

	memset(buf, 0, DIAG_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = (uint8_t)family;
	r->sdiag_protocol = d->ipproto > 255 ? IPPROTO_IP : (uint8_t)d->ipproto;
	/* Only what is needed: SKMEMINFO (and tcp_info for RTT and rate).
	 * INET_DIAG_CGROUP_ID comes unasked when cgroups are configured. */
	r->idiag_ext = 1 << (INET_DIAG_SKMEMINFO - 1);
	if (want_info && !d->shares)
		r->idiag_ext |= 1 << (INET_DIAG_INFO - 1);
	r->idiag_states = d->counter == DP_TCP ? tcp_states : DIAG_STATES_ALL;
	/* net/ipv4/inet_diag.c inet_diag_parse_attrs(): a u32, else -EINVAL */
	if (d->ipproto > 255)
		mnl_attr_put_u32(nlh, INET_DIAG_REQ_PROTOCOL, (uint32_t)d->ipproto);
	return nlh;
}

struct nlmsghdr *diag_build_request(void *buf, int family, enum diag_proto proto, bool want_info,
				    uint32_t tcp_states)
{
	return diag_build_dump_request(buf, family, proto == DP_TCP ? DD_TCP : DD_UDP, want_info,
				       tcp_states);
}

/* The length of struct tcp_info up to the end of field f. */
#define TI_END(f) (offsetof(struct tcp_info, f) + sizeof(((struct tcp_info *)0)->f))

struct diag_attr_ctx {
	struct diag_sock *s;
	struct parse_err *err;
	int bad;
};

static int diag_attr_cb(const struct nlattr *a, void *data)
{
	struct diag_attr_ctx *c = data;
	struct diag_sock *s = c->s;
	uint16_t len = mnl_attr_get_payload_len(a);
	int i;

	switch (mnl_attr_get_type(a)) {
	case INET_DIAG_SKMEMINFO: {
		const uint32_t *v = mnl_attr_get_payload(a);

		if (len % sizeof(uint32_t) || len < (DM_OPTMEM + 1) * sizeof(uint32_t)) {
			util_set_err(c->err, 0, "SKMEMINFO attribute of %u bytes", len);
			c->bad = 1;
			return MNL_CB_ERROR;
		}
		/* Older kernels stop before BACKLOG or DROPS; newer may add fields. */
		s->nmem = len / sizeof(uint32_t) < DM_COUNT ? (int)(len / sizeof(uint32_t)) : DM_COUNT;
		s->mem_legacy = false;
		for (i = 0; i < s->nmem; i++)
			s->mem[i] = v[i];
		break;
	}
	case INET_DIAG_MEMINFO:
		/* legacy: rmem, wmem (= wmem_queued), fmem, tmem; SKMEMINFO wins */
		if (len >= sizeof(struct inet_diag_meminfo) && !s->nmem) {
			const struct inet_diag_meminfo *m = mnl_attr_get_payload(a);

			s->mem[DM_RMEM_ALLOC] = m->idiag_rmem;
			s->mem[DM_WMEM_QUEUED] = m->idiag_wmem;
			s->mem[DM_FWD_ALLOC] = m->idiag_fmem;
			s->mem[DM_WMEM_ALLOC] = m->idiag_tmem;
			s->mem_legacy = true;
		}
		break;
	case INET_DIAG_CGROUP_ID:
		if (len != sizeof(uint64_t)) {
			util_set_err(c->err, 0, "CGROUP_ID attribute of %u bytes", len);
			c->bad = 1;
			return MNL_CB_ERROR;
		}
		s->has_cgroup = true;
		s->cgroup_id = mnl_attr_get_u64(a);
		break;
	case INET_DIAG_INFO: {
		/* Netlink attributes are 4-byte aligned and tcp_info holds u64
		 * fields: copy it out, never dereference it in place.  The
		 * attribute is as long as the sending kernel's struct tcp_info
		 * (inet_diag idiag_info_size); a field counts only when the
		 * attribute reaches its end, as ss reads it. */
		struct tcp_info ti;

		if (len < TI_END(tcpi_rtt))
			break;
		memset(&ti, 0, sizeof(ti));
		memcpy(&ti, mnl_attr_get_payload(a), len < sizeof(ti) ? len : sizeof(ti));
		s->has_tcp_info = true;
		s->rtt_us = ti.tcpi_rtt;
		/* 4.9, "tcp: export data delivery rate": the rate and, in the byte
		 * after tcpi_rcv_wscale (padding before), whether its sample was
		 * application-limited */
		if (len >= TI_END(tcpi_delivery_rate)) {
			s->delivery_rate = ti.tcpi_delivery_rate;
			s->delivery_rate_app_limited = ti.tcpi_delivery_rate_app_limited;
		}
		/* 4.10, "tcp: export sender limits chronographs to TCP_INFO":
		 * tcp_get_info_chrono_stats() sets busy_time to the sum of the
		 * busy, rwnd-limited and sndbuf-limited chronographs */
		if (len >= TI_END(tcpi_rwnd_limited)) {
			s->has_chrono = true;
			s->busy_time_us = ti.tcpi_busy_time;
			s->rwnd_limited_us = ti.tcpi_rwnd_limited;
		}
		break;
	}
	case INET_DIAG_PROTOCOL:
		if (len >= 1) {
			uint8_t p = mnl_attr_get_u8(a);

			/* sk_protocol as a u8 (inet_diag_msg_attrs_fill, with
			 * CAP_NET_ADMIN): UDP-Lite's 136 fits, MPTCP's 262 comes
			 * as 6, TCP */
			if (p == IPPROTO_UDP || p == IPPROTO_UDPLITE) {
				s->proto = DP_UDP;
				s->ipproto = p;
			} else if (p == IPPROTO_TCP) {
				s->proto = DP_TCP;
			}
		}
		break;
	default:
		break; /* unknown attributes: a newer kernel */
	}
	return MNL_CB_OK;
}

int diag_parse(const struct nlmsghdr *nlh, enum diag_proto proto, struct diag_sock *s,
	       struct parse_err *err)
{
	const struct inet_diag_msg *m;
	struct diag_attr_ctx c = { s, err, 0 };

	memset(s, 0, sizeof(*s));
	s->proto = proto;
	s->ipproto = proto == DP_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY && nlh->nlmsg_type != 18 /* TCPDIAG_GETSOCK */) {
		util_set_err(err, 0, "unexpected message type %u", nlh->nlmsg_type);
		return -EBADMSG;
	}
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*m)) {
		util_set_err(err, 0, "inet_diag message of %zu bytes, expected at least %zu",
			     mnl_nlmsg_get_payload_len(nlh), sizeof(*m));
		return -EBADMSG;
	}
	m = mnl_nlmsg_get_payload(nlh);
	s->family = m->idiag_family;
	s->state = m->idiag_state;
	s->sport = ntohs(m->id.idiag_sport);
	s->dport = ntohs(m->id.idiag_dport);
	memcpy(s->src, m->id.idiag_src, 16);
	memcpy(s->dst, m->id.idiag_dst, 16);
	s->uid = m->idiag_uid;
	s->inode = m->idiag_inode;
	s->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	s->rqueue = m->idiag_rqueue;
	s->wqueue = m->idiag_wqueue;
	/* Walk the attributes ourselves: mnl_attr_parse() stops silently at an
	 * attribute whose length runs past the message, which must be an error. */
	{
		const char *p = (const char *)mnl_nlmsg_get_payload_offset(nlh, sizeof(*m));
		const char *end = (const char *)nlh + nlh->nlmsg_len;

		while (p < end) {
			const struct nlattr *a = (const struct nlattr *)p;
			size_t left = (size_t)(end - p);

			if (left < sizeof(*a) || a->nla_len < sizeof(*a) || a->nla_len > left) {
				util_set_err(err, 0, "attribute of length %u at byte %zu runs past "
					     "the message (%zu bytes left)",
					     left >= sizeof(*a) ? a->nla_len : 0,
					     (size_t)(p - (const char *)nlh), left);
				return -EBADMSG;
			}
			if (diag_attr_cb(a, &c) != MNL_CB_OK)
				return -EBADMSG;
			p += MNL_ALIGN(a->nla_len);
		}
	}
	return 0;
}
