import type { SqlExecutor } from '../sql-client.ts';

export interface AttachmentInfo {
  id: number;
  ticketId: number;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedBy: number | null;
  uploadedAt: Date;
}

const COLUMNS = `id, ticket_id AS "ticketId", file_name AS "fileName", content_type AS "contentType",
  size_bytes AS "sizeBytes", uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"`;

export async function insertAttachment(
  db: SqlExecutor,
  file: { ticketId: number; fileName: string; contentType: string; content: Uint8Array; uploadedBy: number | null },
): Promise<AttachmentInfo> {
  const result = await db.query<AttachmentInfo>(
    `INSERT INTO ticket_attachments (ticket_id, file_name, content_type, size_bytes, content, uploaded_by)
     VALUES ($1::integer, $2::text, $3::text, $4::integer, $5::bytea, $6::integer)
     RETURNING ${COLUMNS}`,
    [file.ticketId, file.fileName, file.contentType, file.content.byteLength, file.content, file.uploadedBy],
  );
  return result.rows[0]!;
}

export async function listAttachments(db: SqlExecutor, ticketId: number): Promise<AttachmentInfo[]> {
  const result = await db.query<AttachmentInfo>(
    `SELECT ${COLUMNS} FROM ticket_attachments WHERE ticket_id = $1::integer ORDER BY id`,
    [ticketId],
  );
  return result.rows;
}

export async function findAttachmentContent(
  db: SqlExecutor,
  ticketId: number,
  id: number,
): Promise<(AttachmentInfo & { content: Uint8Array }) | null> {
  const result = await db.query<AttachmentInfo & { content: Uint8Array }>(
    `SELECT ${COLUMNS}, content FROM ticket_attachments WHERE ticket_id = $1::integer AND id = $2::integer`,
    [ticketId, id],
  );
  return result.rows[0] ?? null;
}
