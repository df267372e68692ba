package io.jpair.netlink;

import io.jpair.errno.ErrnoException;
import java.nio.ByteBuffer;

/**
 * One request in flight, as {@link RtNetlink} (blocking) and {@link AsyncRtNetlink} (on a
 * reactor) both track it: its sequence number, what to name in errors, and how it ends. Each
 * reply message carrying its sequence number goes to {@link #message}, which says when the
 * request is finished: at the acknowledgement, or at {@code NLMSG_DONE} for a dump.
 */
final class Transaction {
    private static final int EBADMSG = 74;

    /** Receives one reply message (not the acknowledgement) of a request. */
    @FunctionalInterface
    interface Reply {
        void received(int type, int offset) throws ErrnoException;
    }

    final int sequence;
    final String operation;
    final String device;
    final String subject;
    final boolean dump;
    private final Reply replies;

    Transaction(int sequence, String operation, String device, String subject, boolean dump, Reply replies) {
        this.sequence = sequence;
        this.operation = operation;
        this.device = device;
        this.subject = subject;
        this.dump = dump;
        this.replies = replies;
    }

    /**
     * Handles one reply message of this request, which {@code header} is wrapped around at
     * {@code offset} of {@code buffer}.
     *
     * @return true when the request is finished successfully
     * @throws ErrnoException the kernel's refusal, as a one-line error naming the request
     */
    boolean message(ByteBuffer buffer, NlMsgHdr header, int offset) throws ErrnoException {
        int type = header.type();
        int messageLength = header.length();
        if (type == NlMsgHdr.NLMSG_ERROR) {
            if (messageLength < NlMsgHdr.LENGTH + 4) {
                throw new ErrnoException(operation, device, EBADMSG, "truncated NLMSG_ERROR");
            }
            int error = NlMsgErr.error(buffer, header.payloadOffset());
            if (error != 0) {
                throw failure(-error, NlMsgErr.message(buffer, offset));
            }
            return true;
        }
        if (type == NlMsgHdr.NLMSG_DONE) {
            int error = messageLength >= NlMsgHdr.LENGTH + 4 ? HostOrder.getInt(buffer, header.payloadOffset()) : 0;
            if (error < 0) {
                throw failure(-error, null);
            }
            return dump;
        }
        if (type != NlMsgHdr.NLMSG_NOOP && replies != null) {
            replies.received(type, offset);
        }
        return false;
    }

    /** The error for {@code errno} from this request, with {@link RtNetlink#hint} and the kernel's text. */
    ErrnoException failure(int errno, String kernelMessage) {
        String hint = RtNetlink.hint(operation, errno, subject);
        if (kernelMessage != null) {
            hint = hint == null ? "kernel: " + kernelMessage : hint + " (kernel: " + kernelMessage + ")";
        }
        return new ErrnoException(operation, device, errno, hint);
    }
}
