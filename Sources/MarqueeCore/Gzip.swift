import CZlib
import Foundation

/// gzip (RFC 1952) compression and decompression with zlib, one member at a time.
public enum Gzip {
    /// `data` as one gzip member.
    public static func compress(_ data: Data, level: Int32 = 6) -> Data {
        var stream = z_stream()
        guard marquee_deflate_init_gzip(&stream, level) == Z_OK else { return Data() }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        let written: Int = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, Z_FINISH)
                return status == Z_STREAM_END ? Int(stream.total_out) : -1
            }
        }
        guard written >= 0 else { return Data() }
        return output.prefix(written)
    }

    /// The CRC-32 (zlib's, as in gzip and PNG) of `bytes`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return UInt32(CZlib.crc32(0, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }

    /// The bytes of one gzip member, at most `limit` of them.
    /// - Throws: ``MarqueeError`` `.dataError` for corrupt input or output over `limit`.
    public static func decompress(_ data: Data, limit: Int = 1 << 30) throws(MarqueeError) -> Data {
        var output = Data()
        _ = try inflateMember(data, from: 0, limit: limit, into: &output)
        return output
    }

    /// Every gzip member of `data`, decompressed and concatenated (a `.warc.gz` is one member per
    /// record).
    /// - Throws: ``MarqueeError`` `.dataError` for corrupt input.
    public static func decompressMembers(_ data: Data, limit: Int = 1 << 32) throws(MarqueeError) -> Data {
        var output = Data()
        var offset = 0
        while offset < data.count { offset += try inflateMember(data, from: offset, limit: limit, into: &output) }
        return output
    }

    /// Inflates the member starting at byte `offset` into `output`; returns the bytes it used.
    private static func inflateMember(_ data: Data, from offset: Int, limit: Int, into output: inout Data)
        throws(MarqueeError) -> Int
    {
        var stream = z_stream()
        guard marquee_inflate_init_gzip(&stream) == Z_OK else { throw MarqueeError(.failure, "zlib could not start") }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var status: Int32 = Z_OK
        data.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(
                mutating: input.bindMemory(to: Bytef.self).baseAddress.map { $0 + offset })
            stream.avail_in = uInt(input.count - offset)
            repeat {
                chunk.withUnsafeMutableBytes { buffer in
                    stream.next_out = buffer.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(
                        buffer.bindMemory(to: UInt8.self).baseAddress!, count: buffer.count - Int(stream.avail_out))
                }
            } while status == Z_OK && output.count <= limit
        }
        guard output.count <= limit else {
            throw MarqueeError(.dataError, "more than \(limit) bytes after decompression")
        }
        guard status == Z_STREAM_END else {
            throw MarqueeError(.dataError, "corrupt gzip data at byte \(offset) (zlib \(status))")
        }
        return Int(stream.total_in)
    }
}
