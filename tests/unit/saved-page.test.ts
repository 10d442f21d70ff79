/**
 * Which files go with which saved page (renderer/src/library/import/saved-page.ts): a page takes the images of its own
 * `<stem>_files` folder and loose images, never another page's folder; attachments fit in one request.
 */
import { describe, expect, it } from 'vitest';
import { attachmentsFor, isImageFile, withAttachments } from '../../renderer/src/library/import/saved-page';

const given = (path: string, bytes = 10): { file: File; path: string } => ({ file: new File([new Uint8Array(bytes)], path.split('/').pop()!), path });

describe('saved page files', () => {
  it('gives a page its own _files folder and loose images, not another page\'s folder', () => {
    const page = given('Harbour.html');
    const images = [given('Harbour_files/a.png'), given('Other_files/b.png'), given('c.jpg'), given('saves/Harbour_files/d.gif')];
    expect(attachmentsFor(page, images).map((g) => g.path)).toEqual(['Harbour_files/a.png', 'c.jpg', 'saves/Harbour_files/d.gif']);
    expect(['x.PNG', 'y.svg', 'z.avif'].every(isImageFile)).toBe(true);
    expect(isImageFile('notes.txt')).toBe(false);
  });

  it('sends attachments named from their _files folder, as many as fit beside the page', async () => {
    const request = await withAttachments({ format: 'html', content: '<p>x</p>' }, [given('saves/Harbour_files/a.png'), given('huge.png', 20 * 1024 * 1024)]);
    expect(request.attachments?.map((a) => a.name)).toEqual(['Harbour_files/a.png']);
    expect(Buffer.from(request.attachments![0].contentBase64, 'base64').length).toBe(10);
  });
});
