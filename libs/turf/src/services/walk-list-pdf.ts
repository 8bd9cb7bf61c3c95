import PDFDocument from 'pdfkit';
import { RouteStop, TurfRow } from '../repositories/turf.repository';

/**
 * The outcomes a visit can have, in the order the phone and the console's paper entry list them,
 * with the letter printed over each outcome box and its meaning in English and Spanish (the
 * words the field app uses). Every box has its line in the legend and every line its box.
 */
export const WALK_LIST_OUTCOMES: [outcome: string, code: string, en: string, es: string][] = [
  ['not_home', 'N', 'not home', 'no hay nadie'],
  ['talked', 'T', 'talked', 'hablamos'],
  ['refused', 'R', 'refused', 'no quiso hablar'],
  ['moved', 'M', 'moved away', 'se mudó'],
  ['no_access', 'A', 'no access', 'sin acceso'],
  ['do_not_knock', 'D', 'do not knock again', 'no volver a tocar'],
  ['come_back_later', 'L', 'come back later', 'volver más tarde'],
];

/** A material the campaign hands out, as the walk list names it. */
export interface WalkListMaterial {
  /** The catalogue's name, used where a language has no name of its own. */
  name: string;
  /** The name in each interface language. */
  names: Partial<Record<'en' | 'es', string>> | null;
  /** ISO 639-1 code of the language the material is printed in. */
  language: string;
}

const PAGE = { margin: 36, width: 612, height: 792 };
const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const MAP = { height: 190 };
const ROW = 18;
/** Room kept at the foot of each page for the page number. */
const FOOTER = 18;
const BOX = 12;
const OUTCOME_STEP = 18;
const COLUMNS = {
  order: { x: 36, width: 18 },
  address: { x: 56, width: 188 },
  unit: { x: 250, width: 48 },
  outcome: { x: 302, width: OUTCOME_STEP * WALK_LIST_OUTCOMES.length },
  left: { x: 432, width: 46 },
  language: { x: 482, width: 32 },
  followUp: { x: 518, width: 58 },
};
/** Column headers: English / Spanish, as both are read from the same sheet. */
const HEADERS = {
  order: '#',
  address: 'Address / Dirección',
  unit: 'Unit / Unidad',
  outcome: 'Outcome / Resultado',
  left: 'Left / Dejamos',
  language: 'Lang. / Idioma',
  followUp: 'Legal follow-up / Seguimiento legal',
};
const BLANK = (n: number) => '_'.repeat(n);

type Ring = [number, number][];

/**
 * A printable walk list, in English and Spanish on the same sheet: the turf's outline with its
 * doors and route, what each box means, blanks for who walked it and when (the coordinator needs
 * both to type the sheet back in), and one row per door in walking order with a box per outcome,
 * for the materials left, the language and a legal follow-up. Every page carries the route's
 * code, the blanks and its number ("Page 1 of 3"), so a loose page still finds its route.
 * Doors only: nothing about who lives there is printed, and the sheet asks for no names.
 */
export function renderWalkListPdf(
  turf: TurfRow,
  stops: RouteStop[],
  campaignName: string,
  materials: WalkListMaterial[] = [],
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: `Walk list / Lista de recorrido ${turfTitle(turf.name)} (${turf.code})` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(`${turfTitle(turf.name)} · code / código ${turf.code}`, PAGE.margin, PAGE.margin);
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(
      `${campaignName} — ${turf.doorCount} doors / puertas · ${(turf.walkMetres / 1000).toFixed(1)} km · about / aprox. ${turf.walkMinutes} min`,
    );
  doc.text('Start at door 1 / Empiece en la puerta 1.');
  blanks(doc, doc.y + 4);
  drawMap(doc, turf, stops, doc.y + 4);
  doc.y += MAP.height + 10;
  legend(doc, materials);

  let y = header(doc, doc.y + 6);
  for (const stop of stops) {
    if (y + ROW > PAGE.height - PAGE.margin - FOOTER) {
      doc.addPage();
      doc
        .font('Helvetica-Bold')
        .fontSize(11)
        .text(`${turfTitle(turf.name)} · code / código ${turf.code} (continued / continuación)`, PAGE.margin, PAGE.margin);
      blanks(doc, doc.y + 4);
      y = header(doc, doc.y + 6);
    }
    row(doc, stop, y);
    y += ROW;
  }
  footers(doc, turf);
  doc.end();
  return done;
}

/** Who walked the list and when: the paper entry screen asks for both. */
function blanks(doc: PDFKit.PDFDocument, top: number): void {
  doc.font('Helvetica').fontSize(9);
  doc.text(`Walked by / Recorrido por: ${BLANK(34)}`, PAGE.margin, top, { lineBreak: false });
  doc.text(`Time started / Hora de inicio: ${BLANK(5)} : ${BLANK(5)}  a.m. / p.m.`, 336, top, { lineBreak: false });
  doc.text(`Date / Fecha:  month / mes ${BLANK(6)}   day / día ${BLANK(6)}   year / año ${BLANK(8)}`, PAGE.margin, top + 16, {
    lineBreak: false,
  });
  doc.y = top + 30;
}

/** What to write where: one line for every kind of box in a row, and the materials by number. */
function legend(doc: PDFKit.PDFDocument, materials: WalkListMaterial[]): void {
  const x = PAGE.margin;
  doc.font('Helvetica-Bold').fontSize(8.5);
  doc.text(
    'At each door, mark ONE outcome box with an X. Leave the row empty for a door you did not reach. / ' +
      'En cada puerta, marque con una X UNA casilla de resultado. Deje la fila en blanco si no llegó a esa puerta.',
    x,
    doc.y,
    { width: CONTENT_WIDTH },
  );
  doc.moveDown(0.3);
  doc.font('Helvetica').fontSize(8);
  const top = doc.y;
  const perColumn = Math.ceil(WALK_LIST_OUTCOMES.length / 3);
  WALK_LIST_OUTCOMES.forEach(([, code, en, es], i) => {
    doc.text(`${code} = ${en} / ${es}`, x + Math.floor(i / perColumn) * 180, top + (i % perColumn) * 11, {
      width: 176,
      lineBreak: false,
    });
  });
  doc.y = top + perColumn * 11 + 3;
  const line = (text: string) => doc.text(text, x, doc.y, { width: CONTENT_WIDTH });
  line(
    'Left / Dejamos: the number of each material left, 1x2 for two of material 1 / ' +
      'el número de cada material que dejó, 1x2 para dos del material 1.',
  );
  if (materials.length === 0) {
    line('Materials / Materiales: none chosen for this campaign / ninguno elegido para esta campaña.');
  } else {
    materials.forEach((m, i) => line(`${i === 0 ? 'Materials / Materiales: ' : ''}${i + 1} = ${materialLabel(m)}`));
  }
  line('Lang. / Idioma: language of the conversation, EN or ES / idioma de la conversación, EN o ES.');
  line('Legal follow-up / Seguimiento legal: X if the person asked for legal follow-up / X si la persona pidió seguimiento legal.');
  doc.font('Helvetica-Oblique');
  line('Write no names or personal details on this sheet / No escriba nombres ni datos personales en esta hoja.');
}

/** A turf the cutter numbered ("3") in both languages, as the app words it; a name an organizer chose, as typed. */
export function turfTitle(name: string): string {
  return /^\d+$/.test(name) ? `Turf / Zona ${name}` : name;
}

/** A material's name in English and Spanish (once if they are the same) and the language it is printed in. */
function materialLabel(m: WalkListMaterial): string {
  const en = m.names?.en?.trim() || m.name;
  const es = m.names?.es?.trim() || en;
  return `${en === es ? en : `${en} / ${es}`} (${m.language.toUpperCase()})`;
}

/** The column headers, each in English and Spanish; returns where the first row goes. */
function header(doc: PDFKit.PDFDocument, top: number): number {
  let height = 0;
  for (const key of Object.keys(HEADERS) as (keyof typeof HEADERS)[]) {
    const { x, width } = COLUMNS[key];
    doc.font('Helvetica-Bold').fontSize(6.5).text(HEADERS[key], x, top, { width });
    height = Math.max(height, doc.y - top);
    if (key === 'outcome') {
      // The letter of each outcome box, under the group's header.
      const letters = doc.y + 1;
      doc.fontSize(8);
      WALK_LIST_OUTCOMES.forEach(([, code], i) =>
        doc.text(code, COLUMNS.outcome.x + i * OUTCOME_STEP, letters, { width: BOX, align: 'center', lineBreak: false }),
      );
      height = Math.max(height, letters + 9 - top);
    }
  }
  const bottom = top + height + 1;
  doc
    .moveTo(PAGE.margin, bottom)
    .lineTo(PAGE.width - PAGE.margin, bottom)
    .lineWidth(0.5)
    .stroke();
  return bottom + 6;
}

/** One door: its place in the route, the address, the unit and empty boxes. */
function row(doc: PDFKit.PDFDocument, stop: RouteStop, y: number): void {
  doc.font('Helvetica').fontSize(9);
  doc.text(String(stop.position + 1), COLUMNS.order.x, y, { width: COLUMNS.order.width, lineBreak: false });
  doc.text(`${stop.number} ${stop.street}`, COLUMNS.address.x, y, {
    width: COLUMNS.address.width,
    lineBreak: false,
    ellipsis: true,
  });
  doc.text(stop.unit ?? '', COLUMNS.unit.x, y, { width: COLUMNS.unit.width, lineBreak: false, ellipsis: true });
  doc.lineWidth(0.8);
  WALK_LIST_OUTCOMES.forEach((_, i) => doc.rect(COLUMNS.outcome.x + i * OUTCOME_STEP, y - 2, BOX, BOX).stroke());
  doc.rect(COLUMNS.left.x, y - 2, COLUMNS.left.width - 6, BOX).stroke();
  doc.rect(COLUMNS.language.x, y - 2, 24, BOX).stroke();
  doc.rect(COLUMNS.followUp.x, y - 2, BOX, BOX).stroke();
}

/** "Page 1 of 3 / Página 1 de 3" and the route's code at the foot of every page. */
function footers(doc: PDFKit.PDFDocument, turf: TurfRow): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page: the footer has the margin to itself.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = PAGE.height - PAGE.margin - 10;
    doc.font('Helvetica').fontSize(8);
    doc.text(`code / código ${turf.code}`, PAGE.margin, y, { width: 200, lineBreak: false });
    const n = i - start + 1;
    doc.text(`Page ${n} of ${count} / Página ${n} de ${count}`, PAGE.width - PAGE.margin - 200, y, {
      width: 200,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

/** The outline, the route as a line and the doors as dots, scaled into a box (north up). */
function drawMap(doc: PDFKit.PDFDocument, turf: TurfRow, stops: RouteStop[], top: number): void {
  const left = PAGE.margin;
  const width = CONTENT_WIDTH;
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
