import PDFDocument from 'pdfkit';
import { RouteStop, TurfRow } from '../repositories/turf.repository';

/** Outcome codes as on the phone, in English and Spanish: paper is the fallback when phones fail. */
const OUTCOMES: [code: string, en: string, es: string][] = [
  ['N', 'not home', 'no estaban'],
  ['T', 'talked', 'hablamos'],
  ['R', 'refused', 'rechazó'],
  ['M', 'moved', 'se mudó'],
  ['A', 'no access', 'sin acceso'],
  ['D', 'do not knock again', 'no volver a tocar'],
  ['L', 'come back later', 'volver más tarde'],
];
const MATERIALS =
  'Materials / Materiales: K = know-your-rights card / tarjeta de derechos, H = hotline card / línea de ayuda, F = flyer / volante';

const PAGE = { margin: 36, width: 612, height: 792 };
const MAP = { height: 190 };
const ROW = 18;
const COLUMNS = { order: 36, address: 62, unit: 300, outcome: 350, left: 510, language: 548 };

type Ring = [number, number][];

/**
 * A printable walk list: the turf's outline with its doors and route, the legend in English
 * and Spanish, and one row per door in walking order with boxes for the outcome.
 */
export function renderWalkListPdf(turf: TurfRow, stops: RouteStop[], campaignName: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margin: PAGE.margin, info: { Title: `Walk list ${turf.name} (${turf.code})` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.font('Helvetica-Bold').fontSize(16).text(`${turf.name} · code ${turf.code}`, { continued: false });
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      `${campaignName} — ${turf.doorCount} doors / puertas · ${(turf.walkMetres / 1000).toFixed(1)} km · about / aprox. ${turf.walkMinutes} min`,
    );
  doc.text('Start at door 1 / Empiece en la puerta 1. Write the outcome code in the box / Escriba el código del resultado.');
  drawMap(doc, turf, stops, doc.y + 6);
  doc.y += MAP.height + 14;
  doc.font('Helvetica').fontSize(8);
  doc.text(OUTCOMES.map(([c, en, es]) => `${c} = ${en} / ${es}`).join('   '), PAGE.margin, doc.y, { width: PAGE.width - 2 * PAGE.margin });
  doc.text(MATERIALS, { width: PAGE.width - 2 * PAGE.margin });
  doc.moveDown(0.5);

  const header = (y: number) => {
    doc.font('Helvetica-Bold').fontSize(8);
    doc.text('#', COLUMNS.order, y);
    doc.text('Address / Dirección', COLUMNS.address, y);
    doc.text('Unit', COLUMNS.unit, y);
    OUTCOMES.forEach(([code], i) => doc.text(code, COLUMNS.outcome + i * 22 + 3, y, { lineBreak: false }));
    doc.text('Left', COLUMNS.left, y);
    doc.text('Lang', COLUMNS.language, y);
    doc.font('Helvetica').fontSize(9);
    return y + ROW;
  };
  let y = header(doc.y);
  for (const stop of stops) {
    if (y + ROW > PAGE.height - PAGE.margin) {
      doc.addPage();
      y = header(PAGE.margin);
    }
    doc.text(String(stop.position + 1), COLUMNS.order, y, { width: 24 });
    doc.text(`${stop.number} ${stop.street}`, COLUMNS.address, y, {
      width: COLUMNS.unit - COLUMNS.address - 6,
      lineBreak: false,
      ellipsis: true,
    });
    doc.text(stop.unit ?? '', COLUMNS.unit, y, { width: 46, lineBreak: false, ellipsis: true });
    OUTCOMES.forEach((_, i) => doc.rect(COLUMNS.outcome + i * 22, y - 2, 12, 12).stroke());
    doc.rect(COLUMNS.left, y - 2, 30, 12).stroke();
    doc.rect(COLUMNS.language, y - 2, 24, 12).stroke();
    y += ROW;
  }
  doc.end();
  return done;
}

/** The outline, the route as a line and the doors as dots, scaled into a box (north up). */
function drawMap(doc: PDFKit.PDFDocument, turf: TurfRow, stops: RouteStop[], top: number): void {
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;
  doc.rect(left, top, width, MAP.height).lineWidth(0.5).stroke();
  const outline = (turf.outline as { coordinates?: Ring[] } | null)?.coordinates?.[0] ?? [];
  const points: Ring = [...outline, ...stops.map((s): [number, number] => [Number(s.lon), Number(s.lat)])];
  if (points.length === 0) return;
  const lats = points.map((p) => p[1]);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const xs = points.map((p) => p[0] * kx);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...lats), Math.max(...lats)];
  const scale = Math.min((width - 20) / Math.max(maxX - minX, 1e-9), (MAP.height - 20) / Math.max(maxY - minY, 1e-9));
  const at = ([lon, lat]: [number, number]): [number, number] => [
    left + 10 + (lon * kx - minX) * scale + (width - 20 - (maxX - minX) * scale) / 2,
    top + 10 + (maxY - lat) * scale + (MAP.height - 20 - (maxY - minY) * scale) / 2,
  ];
  if (outline.length > 2) {
    const [first, ...rest] = outline.map(at);
    doc.moveTo(...first);
    rest.forEach((p) => doc.lineTo(...p));
    doc.closePath().lineWidth(1).dash(3, { space: 2 }).stroke().undash();
  }
  const path = stops.map((s) => at([Number(s.lon), Number(s.lat)]));
  if (path.length > 1) {
    doc.moveTo(...path[0]);
    path.slice(1).forEach((p) => doc.lineTo(...p));
    doc.lineWidth(0.6).stroke();
  }
  path.forEach((p) => doc.circle(p[0], p[1], 1.6).fill());
  if (path.length > 0) doc.circle(path[0][0], path[0][1], 4).lineWidth(1.2).stroke();
  doc.fillColor('black');
}
