// Requests the editor makes of the server, and what their failures tell the editor.

/** A failure to show the editor; `signedOut` when the session has ended. */
export class Refusal extends Error {
  constructor(message, signedOut = false) {
    super(message);
    this.signedOut = signedOut;
  }
}

const SIGNED_OUT = '登录已过期';

// The server's errors without words of their own (`AppError`'s unit variants).
const PLAIN_ERRORS = {
  NotFound: '您要找的内容不存在或已被删除',
  RateLimited: '您的操作过于频繁,请一分钟后再试',
  Internal: '服务器暂时无法处理您的请求,请稍后再试',
};

/** What a failed answer says, in the editor's words. */
function refusal(status, answer, fallback) {
  if (status === 401) return new Refusal(SIGNED_OUT, true);
  if (typeof answer === 'string' && PLAIN_ERRORS[answer]) return new Refusal(PLAIN_ERRORS[answer]);
  const said = answer && typeof answer === 'object' && (answer.error || Object.values(answer)[0]);
  if (typeof said === 'string' && said) return new Refusal(said);
  if (status === 413) return new Refusal('文件太大,超过了网站允许的大小');
  if (status === 0) return new Refusal(`${fallback}:网络连接中断,请检查网络后再试`);
  return new Refusal(`${fallback}(服务器答复 ${status})`);
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** POSTs `fields` to a server function and answers its JSON result. */
export async function callServer(endpoint, fields, fallback) {
  let response;
  try {
    response = await fetch(`/api/${endpoint}`, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: fields instanceof URLSearchParams ? fields : new URLSearchParams(fields),
    });
  } catch {
    throw refusal(0, null, fallback);
  }
  const answer = parse(await response.text());
  if (!response.ok) throw refusal(response.status, answer, fallback);
  return answer;
}

/** Uploads `file` as the uploads page does, reporting progress (0–100) as it goes. */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/admin/uploads');
    request.setRequestHeader('Accept', 'application/json');
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    });
    request.addEventListener('load', () => {
      const answer = parse(request.responseText);
      if (request.status >= 200 && request.status < 300 && answer && answer.url) resolve(answer);
      else reject(refusal(request.status, answer, '上传失败'));
    });
    request.addEventListener('error', () => reject(refusal(0, null, '上传失败')));
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}
